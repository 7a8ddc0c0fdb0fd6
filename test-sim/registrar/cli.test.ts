/** registrar/cli.node.ts: every command, its output, and clear refusals with exit codes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { runRegistrar } from "../../registrar/cli.node.ts";
import { deriveDeviceKey, deviceIdOf } from "../../registrar/derive.ts";
import { loadOrCreateMasterKey } from "../../registrar/master-key.ts";

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "fl-registrar-cli-"));
  const base = ["--db", join(dir, "reg.db"), "--master", join(dir, "master.key")];
  const run = async (...args: string[]) => {
    const out: string[] = [], err: string[] = [];
    const code = await runRegistrar([...base, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  return { dir, run };
}

const pub = (b: number) => Buffer.alloc(32, b).toString("hex");
const idOf = (b: number) => deviceIdOf(Buffer.alloc(32, b));

test("add, list, show, rotate, confirm, revoke, decommission, audit", async () => {
  const { run } = setup();
  const added = await run("add", pub(1), "--label", "kitchen", "--board", "puckjs");
  assert.equal(added.code, 0, added.err);
  assert.match(added.out, new RegExp(`added ${idOf(1)}\\s+active`));
  assert.equal((await run("add", pub(2))).code, 0);
  const list = (await run("list")).out.split("\n");
  assert.equal(list.length, 2);
  assert.match((await run("show", idOf(1))).out, new RegExp(`identity key  ${pub(1)}`));

  assert.match((await run("rotate", idOf(1))).out, /rotation started: .* rotating/);
  const confirmed = await run("confirm", idOf(1), pub(3));
  assert.equal(confirmed.code, 0, confirmed.err);
  assert.match(confirmed.out, /active\s+epoch\s+1/);
  assert.match((await run("revoke", idOf(2), "--reason", "lost")).out, /revoked: .* revoked/);
  assert.match((await run("decommission", idOf(1), "--device-gone")).out, /decommissioned \(device gone, not told to shred\)/);

  const audit = await run("audit");
  assert.equal(audit.code, 0, audit.err);
  assert.match(audit.out, /add/);
  assert.match(audit.out, /rotate-confirm/);
  assert.match(audit.out, /revoke\s+lost/);
  assert.match(audit.out, /6 rows, chain verified/);
});

test("refusals: unknown device, wrong state, bad ids and keys, usage errors", async () => {
  const { run } = setup();
  await run("add", pub(9));
  const unknown = await run("show", "0123456789abcdef");
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /no device "0123456789abcdef" in the registry \(UNKNOWN_DEVICE\)/);
  assert.equal((await run("show", "nothex")).code, 2, "a malformed id is bad input");
  assert.match((await run("show", "nothex")).err, /16 hex digits.*BAD_DEVICE_ID/);
  assert.match((await run("add", "abcd")).err, /BAD_KEY/);
  await run("add", pub(1));
  assert.match((await run("add", pub(1))).err, /DUPLICATE/);
  assert.match((await run("confirm", idOf(1), pub(4))).err, /not rotating \(BAD_STATE\)/);
  await run("revoke", idOf(1));
  assert.match((await run("rotate", idOf(1))).err, /only an active device can rotate/);
  assert.match((await run("psk", idOf(1), "--out", "/tmp/never-written")).err, /gets no key/);
  for (const [args, why] of [
    [[], /no command/],
    [["frobnicate"], /unknown command/],
    [["show"], /show takes 1 argument, got 0/],
    [["list", "--colour", "x"], /unknown option --colour/],
    [["revoke", idOf(1), "--reason"], /--reason needs a value/],
    [["psk", idOf(1)], /psk needs --out/],
    [["revoke", idOf(1), "--device-gone"], /--device-gone belongs to decommission/],
  ] as [string[], RegExp][]) {
    const r = await run(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, why);
    assert.match(r.err, /usage: registrar/);
  }
});

test("psk writes the re-derivable per-device key to a 0600 file and never prints it", async () => {
  const { dir, run } = setup();
  await run("add", pub(5));
  const out = join(dir, "dev.key");
  const r = await run("psk", idOf(5), "--out", out);
  assert.equal(r.code, 0, r.err);
  const master = loadOrCreateMasterKey(join(dir, "master.key"));
  const expected = Buffer.from(deriveDeviceKey(master, idOf(5), 0)).toString("hex");
  assert.equal(readFileSync(out, "utf8").trim(), expected);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.ok(!r.out.includes(expected), "the key is not printed");
  assert.match((await run("psk", idOf(5), "--out", out)).err, /does not overwrite/);
  await run("epoch", idOf(5));
  const out2 = join(dir, "dev2.key");
  await run("psk", idOf(5), "--out", out2);
  assert.notEqual(readFileSync(out2, "utf8").trim(), expected, "a new epoch gives a new key");
});

test("audit: an edit made behind the registrar's back fails the chain with exit 1", async () => {
  const { dir, run } = setup();
  await run("add", pub(1));
  await run("revoke", idOf(1), "--reason", "stolen");
  const db = new Database(join(dir, "reg.db"));
  db.prepare("UPDATE registry_audit SET detail = 'lost' WHERE action = 'revoke'").run();
  db.close();
  const r = await run("audit");
  assert.equal(r.code, 1);
  assert.match(r.err, /the audit chain breaks at row 2/);
});

test("help: --help, -h and help print the usage and exit 0", async () => {
  const { run } = setup();
  for (const h of [["--help"], ["-h"], ["help"], ["list", "--help"]]) {
    const r = await run(...h);
    assert.equal(r.code, 0, h.join(" "));
    assert.match(r.out, /usage: registrar/);
    assert.match(r.out, /session --device tcp:\/\/HOST:PORT --id ID --decommission/);
  }
});

test("ids are read in either case (commissioner/user-input.ts)", async () => {
  const { run } = setup();
  await run("add", pub(7));
  const r = await run("show", idOf(7).toUpperCase());
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`device        ${idOf(7)}`));
});

test("read-only commands on a missing registry say so and create nothing (a mistyped --db)", async () => {
  const { dir, run } = setup();
  for (const args of [["list"], ["audit"], ["show", idOf(1)], ["revoke", idOf(1)]]) {
    const r = await run(...args);
    assert.equal(r.code, 1, args.join(" "));
    assert.match(r.err, /no registry at .*reg\.db: nothing was registered there \(check --db.*\(NO_REGISTRY\)/);
  }
  assert.deepEqual(readdirSync(dir), [], "no registry, no master key created");
});

test("decommission of a reachable device points to the session that makes it shred; --device-gone records a lost one", async () => {
  const { run } = setup();
  await run("add", pub(8));
  const r = await run("decommission", idOf(8));
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`npm run commission -- session --device tcp://HOST:PORT --id ${idOf(8)} --decommission.*\\(DEVICE_FIRST\\)`));
  assert.match((await run("show", idOf(8))).out, /status\s+active/, "the refusal changed nothing");
  const gone = await run("decommission", idOf(8), "--device-gone", "--reason", "dropped in the sea");
  assert.equal(gone.code, 0, gone.err);
  assert.match((await run("show", idOf(8))).out, /status\s+decommissioned/);
  assert.match((await run("audit")).out, /decommission\s+dropped in the sea/);
});
