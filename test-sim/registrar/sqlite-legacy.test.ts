/**
 * A registry file written before versioned migrations (registrar/db.ts, without schema_migrations,
 * perhaps without the high-water columns) is adopted: recorded as version 1, migrated to the
 * current version, its audit chain kept and verifiable, bound to the master key its chain was
 * written under (another key is refused before anything is written).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { registryKeys } from "../../registrar/master-key.ts";
import { openRegistry } from "../../registrar/open-registry.ts";
import { SCHEMA_VERSION } from "../../registrar/migrations.ts";
import { auditHash, GENESIS } from "../../registrar/sql-registry.ts";

const key = (b: number) => Buffer.alloc(32, b).toString("hex");
const keys = registryKeys(new Uint8Array(32).fill(7));

/** The first registry schema (no high-water columns), one device, two audit rows chained under `keys`. */
function legacyFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), "fl-legacy-")), "old.db");
  const db = new Database(path);
  db.exec(`CREATE TABLE devices (id TEXT PRIMARY KEY, identity_public TEXT NOT NULL, epoch INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL, pending_identity TEXT, label TEXT NOT NULL DEFAULT '', board TEXT NOT NULL DEFAULT '',
    firmware TEXT NOT NULL DEFAULT '', serial TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE registry_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, device_id TEXT, action TEXT NOT NULL, detail TEXT NOT NULL, hash TEXT NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  db.prepare("INSERT INTO devices (id, identity_public, status, created_at, updated_at) VALUES (?, ?, 'active', 'x', 'x')").run("0123456789abcdef", key(2));
  let prev = GENESIS;
  for (const [action, detail] of [["add", `identity ${key(2)}`], ["epoch", "epoch 1"]]) {
    const hash = auditHash(keys.auditKey, prev, "t", "0123456789abcdef", action, detail);
    db.prepare("INSERT INTO registry_audit (at, device_id, action, detail, hash) VALUES ('t', '0123456789abcdef', ?, ?, ?)").run(action, detail, hash);
    prev = hash;
  }
  db.close();
  return path;
}

test("a file from before migrations is adopted: version 1 recorded, migrated, its chain kept, its devices unmarked", async () => {
  const path = legacyFile();
  const r = await openRegistry(path, keys);
  try {
    assert.equal(await r.schemaVersion(), SCHEMA_VERSION);
    const d = await r.get("0123456789abcdef");
    assert.deepEqual([d.auditSeqHigh, d.auditEntryHigh, d.storeGenerationHigh], [-1, "", -1]);
    await r.observe(d.id, { auditSeq: 3, auditEntry: "ee", storeGeneration: 4 });
    assert.equal((await r.get(d.id)).storeGenerationHigh, 4);
    const trail = await r.auditTrail();
    assert.deepEqual(trail.map((a) => [a.action, a.masterId]), [["add", keys.masterId], ["epoch", keys.masterId], ["high-water", keys.masterId]]);
    assert.equal(trail[1].prev, trail[0].hash, "links filled in from the rows");
    assert.deepEqual(await r.verifyAudit(), { firstBad: null, verified: 3, earlierMaster: 0 });
  } finally {
    await r.close();
  }
});

test("a file from before migrations opened with another master key is refused and keeps no binding to it", async () => {
  const path = legacyFile();
  const copy = path + ".copy";
  copyFileSync(path, copy);
  await assert.rejects(openRegistry(copy, registryKeys(new Uint8Array(32).fill(9))), (e: Error & { code?: string }) =>
    e.code === "WRONG_MASTER" && /audit chain was not written under this master key/.test(e.message));
  const r = await openRegistry(copy, keys);
  assert.equal((await r.verifyAudit()).firstBad, null, "the right key still opens it");
  await r.close();
});

test("not a SQLite file: a clear error, nothing written", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "fl-legacy-")), "junk.db");
  writeFileSync(path, "this is not a database, just some text long enough to be read as a header ".repeat(20));
  await assert.rejects(openRegistry(path, keys), (e: Error & { code?: string }) => e.code === "BAD_DB" && /cannot be opened as a SQLite registry|not a registry/.test(e.message));
});
