/**
 * The commissioner CLI (commissioner/cli.node.ts) against the host test device over real TCP:
 * success recorded in the registry, then a session; and every error path with its exit code.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommissioner, openCommissionerState } from "../../commissioner/cli.node.ts";
import { toHex } from "../../commissioner/bytes.ts";
import { socketTransport } from "../../commissioner/transport.ts";
import { deviceIdOf } from "../../registrar/derive.ts";
import { generateKeyPair } from "../../commissioner/noise.ts";
import { TestDevice } from "../commissioner/test-device.ts";
import { ROOT } from "../../build/paths.ts";

const CODE = "20202021";

function io() {
  const out: string[] = [], err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

/** A TCP server handing each connection to `serve` as a device-side transport. */
async function server(serve: (t: ReturnType<typeof socketTransport>) => Promise<unknown>): Promise<{ url: string; close: () => Promise<void> }> {
  const s = net.createServer((sock) => void serve(socketTransport(sock, "commissioner")));
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  return { url: `tcp://127.0.0.1:${port}`, close: () => new Promise((r) => s.close(() => r())) };
}

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-cli-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test("pairs over TCP, records the device's identity key in the registry, then opens a session with it", () =>
  withDir(async (dir) => {
    const dev = new TestDevice({ code: CODE, info: { firmware: "0.1.0", board: "sim", serial: "SIM-7" } });
    let mode: "pair" | "serve" = "pair";
    const served: Promise<unknown>[] = [];
    const srv = await server(async (t) => {
      const p = mode === "pair" ? dev.pair(t) : dev.serve(t);
      served.push(p);
      return p;
    });
    try {
      const a = io();
      const code = await runCommissioner(["--code", CODE, "--device", srv.url, "--label", "kitchen", "--dir", dir], a.io);
      assert.equal(code, 0, a.err.join("\n"));
      const id = deviceIdOf(dev.identity.publicKey);
      const text = a.out.join("\n");
      assert.match(text, /PAIR_HELLO/);
      assert.match(text, /PAIR_DONE/);
      assert.ok(text.includes(`device ${id}  identity public key ${toHex(dev.identity.publicKey)}`), text);
      assert.equal(statSync(join(dir, "commissioner.key")).mode & 0o777, 0o600);

      const st = await openCommissionerState(dir);
      try {
        const rec = await st.registry.get(id);
        assert.equal(rec.identityPublic, toHex(dev.identity.publicKey));
        assert.equal(rec.label, "kitchen");
        assert.equal(rec.board, "sim");
        assert.equal(rec.serial, "SIM-7");
        // The device learnt this commissioner's static key.
        assert.equal(toHex(dev.commissionerKey!), toHex(st.identity.publicKey));
      } finally {
        await st.close();
      }

      mode = "serve";
      const b = io();
      const code2 = await runCommissioner(["session", "--device", srv.url, "--id", id, "--echo", "ping", "--echo", "ünï", "--text", "bye", "--dir", dir], b.io);
      assert.equal(code2, 0, b.err.join("\n"));
      assert.match(b.out.join("\n"), /ECHO "ping"   ← "ping"/);
      assert.match(b.out.join("\n"), /ECHO "ünï"   ← "ünï"/);
      assert.match(b.out.join("\n"), /4 sent, 3 received/); // the rollback check's AUDIT_READ, 2 ECHO, 1 TEXT

      const c = io();
      assert.equal(await runCommissioner(["list", "--dir", dir], c.io), 0);
      assert.match(c.out[0], new RegExp(`^${id}  active`));
    } finally {
      await srv.close();
      await Promise.all(served);
    }
  }));

test("a wrong setup code: the device's PAIRING_FAILED with the attempts left, exit 1, nothing recorded", () =>
  withDir(async (dir) => {
    const dev = new TestDevice({ code: CODE });
    const srv = await server((t) => dev.pair(t));
    try {
      const a = io();
      const code = await runCommissioner(["--code", "20202022", "--device", srv.url, "--dir", dir], a.io);
      assert.equal(code, 1);
      assert.match(a.err.join("\n"), /PAIRING_FAILED.*attempts left: 19/);
      assert.match(a.err.join("\n"), /hint: check the setup code/);
      const st = await openCommissionerState(dir);
      try {
        assert.equal((await st.registry.list()).length, 0);
      } finally {
        await st.close();
      }
    } finally {
      await srv.close();
    }
  }));

test("a closed window: WINDOW_CLOSED with the hint to press the button", () =>
  withDir(async (dir) => {
    const dev = new TestDevice({ code: CODE, windowOpen: false });
    const srv = await server((t) => dev.pair(t));
    try {
      const a = io();
      assert.equal(await runCommissioner(["--code", CODE, "--device", srv.url, "--dir", dir], a.io), 1);
      assert.match(a.err.join("\n"), /WINDOW_CLOSED/);
      assert.match(a.err.join("\n"), /press the device's button/);
    } finally {
      await srv.close();
    }
  }));

test("bad setup codes and addresses are usage errors (exit 2) before any connection", async () => {
  for (const [args, re] of [
    [["--code", "1234", "--device", "tcp://127.0.0.1:9"], /exactly 8 digits/],
    [["--code", "12345678", "--device", "tcp://127.0.0.1:9"], /trivial code/],
    [["--code", "2020202a", "--device", "tcp://127.0.0.1:9"], /exactly 8 digits/],
    [["--code", CODE, "--device", "127.0.0.1:9"], /tcp:\/\/HOST:PORT/],
    [["--code", CODE], /--device/],
    [["--device", "tcp://127.0.0.1:9"], /--code is needed/],
    [["--code", CODE, "--device", "tcp://127.0.0.1:9", "--bogus", "1"], /unknown option --bogus/],
    [["--code", CODE, "--device", "tcp://127.0.0.1:9", "--timeout", "-1"], /--timeout/],
    [["session", "--device", "tcp://127.0.0.1:9", "--id", "xyz"], /--id DEVICE_ID/],
  ] as [string[], RegExp][]) {
    const a = io();
    assert.equal(await runCommissioner([...args, "--dir", "/nonexistent/never-created"], a.io), 2, args.join(" "));
    assert.match(a.err.join("\n"), re, args.join(" "));
  }
});

test("a refused connection says so (exit 1)", () =>
  withDir(async (dir) => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    const a = io();
    assert.equal(await runCommissioner(["--code", CODE, "--device", `tcp://127.0.0.1:${port}`, "--dir", dir], a.io), 1);
    assert.match(a.err.join("\n"), /connection refused.*LINK_REFUSED/);
  }));

test("a device that never answers: PROTO_TIMEOUT after --timeout seconds (exit 1)", () =>
  withDir(async (dir) => {
    const socks: net.Socket[] = [];
    const s = net.createServer((sock) => void socks.push(sock));
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const port = (s.address() as net.AddressInfo).port;
    try {
      const a = io();
      const t0 = Date.now();
      assert.equal(await runCommissioner(["--code", CODE, "--device", `tcp://127.0.0.1:${port}`, "--dir", dir, "--timeout", "0.5"], a.io), 1);
      assert.ok(Date.now() - t0 < 5000);
      assert.match(a.err.join("\n"), /no answer .* after 0\.5 s \(PROTO_TIMEOUT\)/);
    } finally {
      for (const x of socks) x.destroy();
      await new Promise((r) => s.close(r));
    }
  }));

test("a session with an unregistered device id fails cleanly", () =>
  withDir(async (dir) => {
    await (await openCommissionerState(dir)).close();
    const a = io();
    assert.equal(await runCommissioner(["session", "--device", "tcp://127.0.0.1:9", "--id", "0123456789abcdef", "--dir", dir], a.io), 1);
    assert.match(a.err.join("\n"), /no device "0123456789abcdef".*UNKNOWN_DEVICE/);
  }));

test("the npm script runs the CLI: usage error exit code and message from the real process", () => {
  const r = spawnSync("npm", ["run", "--silent", "commission", "--", "--code", "1234", "--device", "tcp://127.0.0.1:9"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /exactly 8 digits/);
});

test("help: --help, -h and help print the usage and exit 0", async () => {
  for (const h of [["--help"], ["-h"], ["help"], ["session", "--help"]]) {
    const a = io();
    assert.equal(await runCommissioner(h, a.io), 0, h.join(" "));
    assert.match(a.out.join("\n"), /usage: commission/);
  }
});

test("one reading of ids and codes: a code with dashes on the flag and at the prompt, an id in upper case", () =>
  withDir(async (dir) => {
    const dev = new TestDevice({ code: CODE });
    let mode: "pair" | "serve" = "pair";
    const srv = await server((t) => (mode === "pair" ? dev.pair(t) : dev.serve(t)));
    try {
      const a = io();
      assert.equal(await runCommissioner(["--code", "2020-2021", "--device", srv.url, "--dir", dir], a.io), 0, a.err.join("\n"));
      const dev2 = new TestDevice({ code: CODE });
      const srv2 = await server((t) => dev2.pair(t));
      try {
        const b = io();
        const asked = { ...b.io, ask: async () => " 2020 2021 " };
        assert.equal(await runCommissioner(["--device", srv2.url, "--dir", dir], asked), 0, b.err.join("\n"));
      } finally {
        await srv2.close();
      }
      mode = "serve";
      const c = io();
      const id = deviceIdOf(dev.identity.publicKey).toUpperCase();
      assert.equal(await runCommissioner(["session", "--device", srv.url, "--id", id, "--echo", "hi", "--dir", dir], c.io), 0, c.err.join("\n"));
      assert.match(c.out.join("\n"), /ECHO "hi"   ← "hi"/);
      const d = io();
      assert.equal(await runCommissioner(["--code", "2020-20x1", "--device", srv.url, "--dir", dir], d.io), 2);
      assert.match(d.err.join("\n"), /exactly 8 digits.*got "2020-20x1" \(BAD_CODE\)/);
    } finally {
      await srv.close();
    }
  }));

test("pairing a device whose identity the registry holds as revoked: exit 1, says why and what to do", () =>
  withDir(async (dir) => {
    const identity = generateKeyPair();
    const first = new TestDevice({ code: CODE, identity });
    const srv1 = await server((t) => first.pair(t));
    try {
      assert.equal(await runCommissioner(["--code", CODE, "--device", srv1.url, "--dir", dir], io().io), 0);
    } finally {
      await srv1.close();
    }
    const id = deviceIdOf(identity.publicKey);
    const st = await openCommissionerState(dir);
    await st.registry.setStatus(id, "revoked", "test");
    await st.close();
    const again = new TestDevice({ code: CODE, identity });
    const srv2 = await server((t) => again.pair(t));
    try {
      const a = io();
      assert.equal(await runCommissioner(["--code", CODE, "--device", srv2.url, "--dir", dir], a.io), 1);
      const err = a.err.join("\n");
      assert.match(err, new RegExp(`registry holds its identity key as ${id}, which is revoked.*UNUSABLE_IDENTITY`));
      assert.match(err, /hint: factory-reset the device \(hold its button 10 s\)/);
    } finally {
      await srv2.close();
    }
  }));

test("a session where --id and --device name different devices: says the device there is not the one named", () =>
  withDir(async (dir) => {
    const dev = new TestDevice({ code: CODE });
    let mode: "pair" | "serve" = "pair";
    const srv = await server((t) => (mode === "pair" ? dev.pair(t) : dev.serve(t)));
    try {
      assert.equal(await runCommissioner(["--code", CODE, "--device", srv.url, "--dir", dir], io().io), 0);
      const other = toHex(generateKeyPair().publicKey);
      const st = await openCommissionerState(dir);
      const otherId = (await st.registry.add(other, {})).id;
      await st.close();
      mode = "serve";
      const a = io();
      assert.equal(await runCommissioner(["session", "--device", srv.url, "--id", otherId, "--dir", dir], a.io), 1);
      const err = a.err.join("\n");
      assert.ok(err.includes(`the device at ${srv.url} refused a session as ${otherId} (AUTH_FAILED): it is not device ${otherId}`), err);
      assert.match(err, /check that --id and --device name the same device/);
    } finally {
      await srv.close();
    }
  }));

test("something that is not a firstlight device: 'not a firstlight device (wrong port?)'", () =>
  withDir(async (dir) => {
    const socks: net.Socket[] = [];
    const s = net.createServer((sock) => {
      socks.push(sock);
      sock.write("<html>\n");
    });
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const url = `tcp://127.0.0.1:${(s.address() as net.AddressInfo).port}`;
    try {
      const a = io();
      assert.equal(await runCommissioner(["--code", CODE, "--device", url, "--dir", dir], a.io), 1);
      assert.match(a.err.join("\n"), new RegExp(`${url} is not a firstlight device \\(wrong port\\?\\): frame version 0x3c`));
    } finally {
      for (const x of socks) x.destroy();
      await new Promise((r) => s.close(r));
    }
  }));

test("list and session on a directory without state say so and create nothing (a mistyped --dir)", () =>
  withDir(async (dir) => {
    const missing = join(dir, "typo");
    for (const args of [["list"], ["session", "--device", "tcp://127.0.0.1:9", "--id", "0123456789abcdef"]]) {
      const a = io();
      assert.equal(await runCommissioner([...args, "--dir", missing], a.io), 1, args.join(" "));
      assert.match(a.err.join("\n"), /holds no commissioner state: nothing was paired with --dir .*typo \(check --dir/);
    }
    assert.equal(existsSync(missing), false);
    assert.deepEqual(readdirSync(dir), []);
  }));
