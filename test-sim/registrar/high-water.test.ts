/** The registry's rollback high-water marks (docs/flash-format.md §8): raised, never lowered, refusals audited; older files gain the columns. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Registry } from "../../registrar/db.ts";

const auditKey = new Uint8Array(32).fill(7);
const key = (b: number) => Buffer.alloc(32, b).toString("hex");
const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as { code: string }).code; } return "no error"; };

test("observe raises the marks, refuses a lower sequence number, a lower generation or a caller's problem, and audits each", () => {
  const r = new Registry(join(mkdtempSync(join(tmpdir(), "fl-hw-")), "reg.db"), { auditKey });
  const d = r.add(key(1));
  assert.deepEqual([d.auditSeqHigh, d.auditEntryHigh, d.storeGenerationHigh], [-1, "", -1]);
  r.observe(d.id, { auditSeq: 5, auditEntry: "aa", storeGeneration: 1 });
  r.observe(d.id, { auditSeq: 5, auditEntry: "aa", storeGeneration: -1 }); // nothing new: no row
  assert.equal(code(() => r.observe(d.id, { auditSeq: 4, auditEntry: "bb", storeGeneration: 1 })), "ROLLBACK");
  assert.equal(code(() => r.observe(d.id, { auditSeq: 9, auditEntry: "cc", storeGeneration: 0 })), "ROLLBACK");
  assert.equal(code(() => r.observe(d.id, { auditSeq: 9, auditEntry: "cc", storeGeneration: 2, problem: "entry 5 differs" })), "ROLLBACK");
  const after = r.get(d.id);
  assert.deepEqual([after.auditSeqHigh, after.auditEntryHigh, after.storeGenerationHigh], [5, "aa", 1], "refusals never move the marks");
  r.observe(d.id, { auditSeq: 9, auditEntry: "dd", storeGeneration: 2 });
  assert.deepEqual([r.get(d.id).auditSeqHigh, r.get(d.id).auditEntryHigh, r.get(d.id).storeGenerationHigh], [9, "dd", 2]);
  const rows = r.auditTrail().filter((a) => a.deviceId === d.id).map((a) => a.action);
  assert.deepEqual(rows, ["add", "high-water", "rollback", "rollback", "rollback", "high-water"]);
  assert.equal(r.verifyAudit(), null);
  r.close();
});

test("a registry file from before the high-water columns gains them, its devices unmarked", () => {
  const path = join(mkdtempSync(join(tmpdir(), "fl-hw-")), "old.db");
  const db = new Database(path);
  db.exec(`CREATE TABLE devices (id TEXT PRIMARY KEY, identity_public TEXT NOT NULL, epoch INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL, pending_identity TEXT, label TEXT NOT NULL DEFAULT '', board TEXT NOT NULL DEFAULT '',
    firmware TEXT NOT NULL DEFAULT '', serial TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`);
  db.prepare("INSERT INTO devices (id, identity_public, status, created_at, updated_at) VALUES (?, ?, 'active', 'x', 'x')").run("0123456789abcdef", key(2));
  db.close();
  const r = new Registry(path, { auditKey });
  const d = r.get("0123456789abcdef");
  assert.deepEqual([d.auditSeqHigh, d.auditEntryHigh, d.storeGenerationHigh], [-1, "", -1]);
  r.observe(d.id, { auditSeq: 3, auditEntry: "ee", storeGeneration: 4 });
  assert.equal(r.get(d.id).storeGenerationHigh, 4);
  r.close();
});
