/**
 * The master key never in the registry (registrar/master-key.ts): a file (0600) or
 * FIRSTLIGHT_MASTER_KEY; a registry copied without its key yields no device key; master rotation
 * through the epoch (`registrar rotate-master`).
 */
import { mock, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runRegistrar } from "../../registrar/cli.node.ts";
import { deriveDeviceKey, deviceIdOf } from "../../registrar/derive.ts";
import { loadMasterKey, loadOrCreateMasterKey, MASTER_ENV, masterKeyId, registryAuditKey, registryKeys } from "../../registrar/master-key.ts";

const pub = (b: number) => Buffer.alloc(32, b).toString("hex");
const idOf = (b: number) => deviceIdOf(Buffer.alloc(32, b));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as { code: string }).code; } return "no error"; };

async function registrar(...args: string[]) {
  const out: string[] = [], err: string[] = [];
  const c = await runRegistrar(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code: c, out: out.join("\n"), err: err.join("\n") };
}

async function withEnv<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env[MASTER_ENV];
  if (value === undefined) delete process.env[MASTER_ENV];
  else process.env[MASTER_ENV] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[MASTER_ENV];
    else process.env[MASTER_ENV] = before;
  }
}

test("the master key file: created 0600 on first use, reloaded, refused when readable by others or malformed", () => {
  const d = mkdtempSync(join(tmpdir(), "fl-master-"));
  const p = join(d, "keys", "master.key");
  const k1 = loadOrCreateMasterKey(p);
  assert.equal(statSync(p).mode & 0o777, 0o600);
  assert.deepEqual(loadOrCreateMasterKey(p), k1);
  assert.equal(registryAuditKey(k1).length, 32);
  assert.match(masterKeyId(k1), /^[0-9a-f]{16}$/);
  assert.notEqual(masterKeyId(k1), hex(k1).slice(0, 16), "the id is not a piece of the key");
  chmodSync(p, 0o644);
  assert.equal(code(() => loadOrCreateMasterKey(p)), "KEY_PERMISSIONS");
  const bad = join(d, "bad.key");
  writeFileSync(bad, "not hex\n", { mode: 0o600 });
  assert.equal(code(() => loadOrCreateMasterKey(bad)), "BAD_MASTER");
  assert.equal(code(() => loadMasterKey(join(d, "absent.key"))), "NO_MASTER_KEY");
  assert.equal(code(() => registryKeys(new Uint8Array(16))), "BAD_MASTER");
});

test("FIRSTLIGHT_MASTER_KEY gives the master key: no key file is made, psk derives from it; a malformed value is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fl-master-env-"));
  const master = Buffer.alloc(32, 0x5a);
  const base = ["--db", join(dir, "reg.db")];
  await withEnv(master.toString("hex"), async () => {
    const prevDir = process.env.FIRSTLIGHT_DIR;
    process.env.FIRSTLIGHT_DIR = dir;
    try {
      assert.equal((await registrar(...base, "add", pub(1))).code, 0);
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".key")), [], "no key file made");
      const r = await registrar(...base, "psk", idOf(1), "--out", join(dir, "dev.key"));
      assert.equal(r.code, 0, r.err);
      assert.equal(readFileSync(join(dir, "dev.key"), "utf8").trim(), hex(deriveDeviceKey(master, idOf(1), 0)));
    } finally {
      if (prevDir === undefined) delete process.env.FIRSTLIGHT_DIR;
      else process.env.FIRSTLIGHT_DIR = prevDir;
    }
  });
  await withEnv("abc", async () => {
    const r = await registrar(...base, "list");
    assert.equal(r.code, 1);
    assert.match(r.err, /FIRSTLIGHT_MASTER_KEY does not hold a 32-byte hex master key.*\(BAD_MASTER\)/);
  });
});

test("a registry copied without its master key yields no device key: a clear error, and no key material in the copy", async () => {
  await withEnv(undefined, async () => {
    const dir = mkdtempSync(join(tmpdir(), "fl-copy-"));
    const db = join(dir, "reg.db"), masterPath = join(dir, "master.key");
    assert.equal((await registrar("--db", db, "--master", masterPath, "add", pub(3))).code, 0);
    await registrar("--db", db, "--master", masterPath, "epoch", idOf(3));
    const master = loadOrCreateMasterKey(masterPath);

    const thief = mkdtempSync(join(tmpdir(), "fl-copy-thief-"));
    for (const f of readdirSync(dir).filter((f) => f.startsWith("reg.db"))) copyFileSync(join(dir, f), join(thief, f));
    const copy = join(thief, "reg.db");
    const bytes = Buffer.concat(readdirSync(thief).map((f) => readFileSync(join(thief, f))));
    for (const [what, k] of [["master key", master], ["audit key", registryAuditKey(master)], ["device key, epoch 0", deriveDeviceKey(master, idOf(3), 0)], ["device key, epoch 1", deriveDeviceKey(master, idOf(3), 1)]] as const) {
      assert.equal(bytes.indexOf(Buffer.from(k)), -1, `${what} (bytes) in the copy`);
      assert.equal(bytes.indexOf(Buffer.from(hex(k))), -1, `${what} (hex) in the copy`);
    }

    const out = join(thief, "dev.key");
    const none = await registrar("--db", copy, "--master", join(thief, "master.key"), "psk", idOf(3), "--out", out);
    assert.equal(none.code, 1);
    assert.match(none.err, /no master key at .*master\.key .*\(NO_MASTER_KEY\)/);
    loadOrCreateMasterKey(join(thief, "guess.key"));
    const guessed = await registrar("--db", copy, "--master", join(thief, "guess.key"), "psk", idOf(3), "--out", out);
    assert.equal(guessed.code, 1);
    assert.match(guessed.err, new RegExp(`belongs to master key ${masterKeyId(master)}.*\\(WRONG_MASTER\\)`));
    await withEnv(Buffer.alloc(32, 1).toString("hex"), async () => {
      const viaEnv = await registrar("--db", copy, "psk", idOf(3), "--out", out);
      assert.match(viaEnv.err, /WRONG_MASTER/);
    });
    assert.equal(existsSync(out), false, "no key file written");
    // A copy made before any --master was given must not get one made for it either.
    const add = await registrar("--db", copy, "--master", join(thief, "fresh.key"), "add", pub(4));
    assert.match(add.err, /NO_MASTER_KEY/);
    assert.equal(existsSync(join(thief, "fresh.key")), false, "no master key made beside an existing registry");
  });
});

test("rotate-master: devices move to the next epoch under the new master; the old key is refused after; the audit says what it checked", async () => {
  await withEnv(undefined, async () => {
    const dir = mkdtempSync(join(tmpdir(), "fl-rotate-master-"));
    const db = join(dir, "reg.db"), oldPath = join(dir, "master.key"), newPath = join(dir, "master.key.new");
    const run = (master: string, ...args: string[]) => registrar("--db", db, "--master", master, ...args);
    await run(oldPath, "add", pub(1));
    await run(oldPath, "add", pub(2));
    await run(oldPath, "revoke", idOf(2));
    assert.match((await run(oldPath, "rotate-master")).err, /rotate-master needs --new-master FILE/);
    assert.match((await run(oldPath, "list", "--new-master", newPath)).err, /--new-master belongs to rotate-master/);
    const r = await run(oldPath, "rotate-master", "--new-master", newPath);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /master key rotated to [0-9a-f]{16} \(new key written to .*master\.key\.new, mode 0600\): 1 devices moved to their next epoch/);
    assert.equal(statSync(newPath).mode & 0o777, 0o600);
    const next = loadOrCreateMasterKey(newPath);

    const old = await run(oldPath, "show", idOf(1));
    assert.equal(old.code, 1);
    assert.match(old.err, /retired by a master rotation.*\(WRONG_MASTER\)/);
    const out = join(dir, "dev1.key");
    assert.equal((await run(newPath, "psk", idOf(1), "--out", out)).code, 0);
    assert.equal(readFileSync(out, "utf8").trim(), hex(deriveDeviceKey(next, idOf(1), 1)), "epoch 1 under the new master");
    assert.match((await run(newPath, "show", idOf(2))).out, /epoch\s+0/, "a revoked device does not move");
    await run(newPath, "epoch", idOf(1));
    const audit = await run(newPath, "audit");
    assert.equal(audit.code, 0, audit.err);
    assert.match(audit.out, /master-rotate\s+from master/);
    assert.match(audit.out, /5 rows, chain verified \(the 3 rows before the last master rotation were tagged under an earlier master key/);
  });
});

test("rotate-master refuses to go back to a master key an earlier rotation retired", async () => {
  // A key is retired because it may be known to someone else: rotating back to it would hand every
  // device's next key to whoever has it.
  await withEnv(undefined, async () => {
    const dir = mkdtempSync(join(tmpdir(), "fl-rotate-back-"));
    const db = join(dir, "reg.db"), k1 = join(dir, "k1.key"), k2 = join(dir, "k2.key");
    const run = (master: string, ...args: string[]) => registrar("--db", db, "--master", master, ...args);
    assert.equal((await run(k1, "add", pub(1))).code, 0);
    assert.equal((await run(k1, "rotate-master", "--new-master", k2)).code, 0);
    const back = await run(k2, "rotate-master", "--new-master", k1);
    assert.equal(back.code, 1, back.out);
    assert.match(back.err, /retired by a master rotation on .*\(BAD_MASTER\)/);
    const still = await run(k2, "show", idOf(1));
    assert.match(still.out, /epoch\s+1/, "nothing moved");
  });
});

test("a new master key file is durable before anything relies on it: the directory entry is fsynced after the rename", async () => {
  // rotate-master writes the new key, then commits the registry to it: a power cut after the
  // commit must not find the rename still only in the page cache (a registry bound to a key
  // that is gone yields no device key, ever).
  const fs = (await import("node:fs")).default;
  const { syncBuiltinESMExports } = await import("node:module");
  const d = mkdtempSync(join(tmpdir(), "fl-master-durable-"));
  const p = join(d, "master.key");
  const events: string[] = [];
  const fdPaths = new Map<number, string>();
  const { openSync, renameSync, fsyncSync } = fs;
  const mocks = [
    mock.method(fs, "openSync", (...a: Parameters<typeof openSync>) => {
      const fd = openSync(...a);
      fdPaths.set(fd, String(a[0]));
      return fd;
    }),
    mock.method(fs, "renameSync", (...a: Parameters<typeof renameSync>) => {
      events.push("rename " + String(a[1]));
      return renameSync(...a);
    }),
    mock.method(fs, "fsyncSync", (...a: Parameters<typeof fsyncSync>) => {
      events.push("fsync " + fdPaths.get(a[0]));
      return fsyncSync(...a);
    }),
  ];
  syncBuiltinESMExports();
  try {
    loadOrCreateMasterKey(p);
  } finally {
    for (const m of mocks) m.mock.restore();
    syncBuiltinESMExports();
  }
  const renamed = events.indexOf("rename " + p);
  assert.ok(renamed >= 0, events.join(", "));
  assert.ok(events.slice(0, renamed).some((e) => e.startsWith("fsync " + p + ".tmp-")), "the key's bytes are synced before the rename: " + events.join(", "));
  assert.ok(events.slice(renamed + 1).includes("fsync " + d), "the directory is synced after the rename: " + events.join(", "));
});
