/**
 * A provisioned device paired from its label: the simulated device boots the built image with the
 * factory's sealed code and secret; the commissioner CLI pairs with the QR payload, refuses a
 * damaged payload before it connects (no attempt spent), and counts a payload of another device as
 * a wrong code. Then `npm start -- --serve --factory FILE` as a person runs it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { runCommissioner } from "../../commissioner/cli.node.ts";
import { provision, type ProvisionedDevice } from "../../tools/provision/cli.node.ts";
import { readFactoryFile, type SealedFactoryFile } from "../../tools/provision/factory-file.ts";
import { loadSimBoard } from "./board.ts";
import { DEVICE_IMAGE, SimDevice } from "./sim-device.ts";

const haveDevice = existsSync(DEVICE_IMAGE);
const { board } = loadSimBoard("sim");

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-label-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function cliIo() {
  const out: string[] = [], err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

/** The payload with one data character changed and the check left as it was. */
function damaged(p: ProvisionedDevice): string {
  const i = 6, c = p.payload[i] === "7" ? "8" : "7";
  return p.payload.slice(0, i) + c + p.payload.slice(i + 1);
}

test("the CLI pairs a provisioned simulated device from its QR payload", { skip: !haveDevice && "the device image is not built", timeout: 60_000 }, () =>
  withDir(async (dir) => {
    const [mine, other] = await provision({ board: "sim", out: join(dir, "factory"), count: 2 });
    const f = readFactoryFile(mine.files.factory) as SealedFactoryFile;
    const dev = await SimDevice.start({ engine: "node", board, flashPath: join(dir, "flash.bin"), eraseFlash: true, secretHex: f.deviceSecret, sealedSetupHex: f.sealedSetupCode, mode: "device" });
    try {
      await dev.listen();
      assert.ok(await dev.advanceUntil((a) => a.gate.state === "ready", 60_000, 100), "the gate opens");
      await dev.press(200);
      assert.equal((await dev.advance(500, 50)).status?.state, "window-open");
      dev.realtime(true);
      const comm = join(dir, "comm");

      let c = cliIo();
      assert.equal(await runCommissioner(["--payload", damaged(mine), "--device", dev.url, "--dir", comm], c.io), 2);
      assert.match(c.err[0], /commission: setup payload "FL:1.*": the check character does not match \(a character was misread or mistyped\) \(BAD_PAYLOAD\)/);
      c = cliIo();
      assert.equal(await runCommissioner(["--payload", "20202021", "--device", dev.url, "--dir", comm], c.io), 2, "--payload takes only a payload");
      assert.match(c.err[0], /starts with "FL:"/);
      c = cliIo();
      assert.equal(await runCommissioner(["--code", "MT:Y.K9042C00KA0648G00", "--device", dev.url, "--dir", comm], c.io), 2);
      assert.match(c.err[0], /not a firstlight label \(BAD_PAYLOAD\)/);
      assert.equal((await dev.step()).status?.failedAttempts, 0, "a damaged payload spends no attempt: nothing was sent");

      c = cliIo();
      assert.equal(await runCommissioner(["--code", other.payload, "--device", dev.url, "--dir", comm, "--timeout", "10"], c.io), 1);
      assert.match(c.err.join("\n"), /PAIRING_FAILED.*attempts left: 19/);

      c = cliIo();
      assert.equal(await runCommissioner(["--payload", mine.payload.toLowerCase(), "--device", dev.url, "--dir", comm, "--label", "from-label"], c.io), 0, c.err.join("\n"));
      assert.ok(c.out.includes(`setup payload: version 1, discriminator ${mine.discriminator} (the code stays on this machine)`), c.out.join("\n"));
      assert.ok(!c.out.join("\n").includes(mine.code), "the CLI never prints the code");
      const a = await dev.step({ identity: true });
      assert.equal(a.status?.state, "paired");
      assert.ok(c.out.some((l) => l.startsWith("device ") && l.endsWith(a.identity!)));
      assert.deepEqual(dev.faults, []);
    } finally {
      await dev.close();
    }
  }));

/** Runs `npm start -- ARGS` (as tsx test-sim/main.ts) until `until` matches a line or it exits. */
function start(args: string[], env: NodeJS.ProcessEnv, until: RegExp) {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test-sim/main.ts"), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let text = "";
  const exited = new Promise<number>((r) => child.on("exit", (code) => r(code ?? -1)));
  const seen = new Promise<RegExpMatchArray | null>((resolve) => {
    const on = (d: Buffer) => {
      text += d.toString();
      const m = until.exec(text);
      if (m) resolve(m);
    };
    child.stdout.on("data", on);
    child.stderr.on("data", on);
    void exited.then(() => resolve(null));
  });
  return { child, seen, exited, text: () => text };
}

for (const boardName of ["sim", "espruino-linux"]) {
  test(`npm start -- --serve --factory FILE serves a provisioned ${boardName} device (code ${boardName === "sim" ? "sealed" : "in clear"}); its label pairs it`, { skip: !haveDevice && "the device image is not built", timeout: 90_000 }, () =>
    withDir(async (dir) => {
      const [mine] = await provision({ board: boardName, out: join(dir, "factory"), count: 1 });
      const env = { FIRSTLIGHT_SIM_DIR: join(dir, "sim") };
      const s = start(["--serve", "--factory", mine.files.factory], env, /device (\S+) on (tcp:\/\/127\.0\.0\.1:\d+) \(node\), discriminator (\d+), setup code on its label \(([^)]+)\)/);
      try {
        const m = await s.seen;
        assert.ok(m, s.text());
        assert.equal(m[1], mine.id);
        assert.equal(Number(m[3]), mine.discriminator);
        assert.equal(m[4], mine.files.txt);
        assert.ok(!s.text().includes(mine.code), "the served device does not print its code");
        assert.ok(existsSync(join(dir, "sim", `serve-flash-${mine.id}.bin`)), "its own flash file");
        const c = cliIo();
        assert.equal(await runCommissioner(["--code", mine.payload, "--device", m[2], "--dir", join(dir, "comm")], c.io), 0, c.err.join("\n"));
      } finally {
        s.child.kill("SIGINT");
        await s.exited;
      }
    }));
}

test("npm start -- --factory: refused without --serve, beside --code, and for a seal that is not this secret's", { skip: !haveDevice && "the device image is not built", timeout: 60_000 }, () =>
  withDir(async (dir) => {
    const [mine] = await provision({ board: "sim", out: join(dir, "factory"), count: 1 });
    const env = { FIRSTLIGHT_SIM_DIR: join(dir, "sim") };
    let r = start(["--factory", mine.files.factory], env, /$^/);
    assert.equal(await r.exited, 2);
    assert.match(r.text(), /--factory goes with --serve/);
    r = start(["--serve", "--factory", mine.files.factory, "--code", "20202021"], env, /$^/);
    assert.equal(await r.exited, 2);
    assert.match(r.text(), /give --code or --factory, not both/);
    r = start(["--serve", "--factory", mine.files.factory, "--engine", "jerryscript"], env, /$^/);
    assert.equal(await r.exited, 2);
    assert.match(r.text(), /--factory runs on the simulator's engines \(node, quickjs, duk\), not jerryscript/);
    r = start(["--serve", "--factory", mine.files.factory, "--board", "esp32"], env, /$^/);
    assert.equal(await r.exited, 2);
    assert.match(r.text(), /was provisioned for board sim/);
    const f = readFactoryFile(mine.files.factory) as SealedFactoryFile;
    const swapped = join(dir, "swapped.json");
    writeFileSync(swapped, JSON.stringify({ ...f, deviceSecret: "00".repeat(32) }));
    r = start(["--serve", "--factory", swapped], env, /$^/);
    assert.equal(await r.exited, 1);
    assert.match(r.text(), /the sealed setup code does not open with this device's secret/);
  }));
