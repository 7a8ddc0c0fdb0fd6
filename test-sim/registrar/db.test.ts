import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Registry } from "../../registrar/db.ts";
import { loadOrCreateMasterKey, registryAuditKey } from "../../registrar/master-key.ts";
import { deviceIdOf } from "../../registrar/derive.ts";

const dir = () => mkdtempSync(join(tmpdir(), "fl-registrar-"));
const key = (b: number) => Buffer.alloc(32, b).toString("hex");
const auditKey = new Uint8Array(32).fill(7);
const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as { code: string }).code; } return "no error"; };

test("add, list, show; ids come from the identity key", () => {
  const r = new Registry(join(dir(), "reg.db"), { auditKey });
  const d = r.add(key(1), { label: "kitchen", board: "puckjs", firmware: "0.1.0", serial: "SN1" });
  assert.equal(d.id, deviceIdOf(Buffer.alloc(32, 1)));
  assert.equal(d.status, "active");
  assert.equal(d.epoch, 0);
  assert.equal(r.list().length, 1);
  assert.equal(r.get(d.id).label, "kitchen");
  assert.equal(code(() => r.add(key(1))), "DUPLICATE");
  assert.equal(code(() => r.get("0000000000000000")), "UNKNOWN_DEVICE");
  assert.equal(code(() => r.add("zz")), "BAD_KEY");
  r.close();
});

test("rotation: active → rotating → active with the new key and a new epoch; wrong states refused", () => {
  const r = new Registry(join(dir(), "reg.db"), { auditKey });
  const d = r.add(key(2));
  assert.equal(code(() => r.confirmRotation(d.id, key(3))), "BAD_STATE");
  assert.equal(r.beginRotation(d.id).status, "rotating");
  assert.ok(r.mayOpenSession(d.id), "the old key keeps working until the rotation is confirmed");
  assert.equal(code(() => r.beginRotation(d.id)), "BAD_STATE");
  assert.equal(code(() => r.confirmRotation(d.id, key(2))), "BAD_KEY");
  const after = r.confirmRotation(d.id, key(3));
  assert.equal(after.identityPublic, key(3));
  assert.equal(after.epoch, 1);
  assert.equal(after.status, "active");
  r.close();
});

test("revoked and decommissioned devices may not open sessions; further changes refused", () => {
  const r = new Registry(join(dir(), "reg.db"), { auditKey });
  const a = r.add(key(4)), b = r.add(key(5));
  r.setStatus(a.id, "revoked", "lost");
  assert.equal(r.mayOpenSession(a.id), false);
  assert.equal(code(() => r.setStatus(a.id, "revoked", "again")), "BAD_STATE");
  assert.equal(code(() => r.beginRotation(a.id)), "BAD_STATE");
  assert.equal(code(() => r.bumpEpoch(a.id)), "BAD_STATE");
  r.setStatus(b.id, "decommissioned", "sold");
  assert.equal(r.mayOpenSession(b.id), false);
  assert.equal(code(() => r.setStatus(b.id, "revoked", "x")), "BAD_STATE");
  r.close();
});

test("the registry audit chain records every change and detects an edit or a deleted row", () => {
  const path = join(dir(), "reg.db");
  const r = new Registry(path, { auditKey });
  const d = r.add(key(6));
  r.bumpEpoch(d.id);
  r.beginRotation(d.id);
  r.confirmRotation(d.id, key(8));
  r.setStatus(d.id, "revoked", "test");
  assert.deepEqual(r.auditTrail().map((a) => a.action), ["add", "epoch", "rotate-begin", "rotate-confirm", "revoke"]);
  assert.equal(r.verifyAudit(), null);
  r.close();

  const raw = new Database(path);
  raw.prepare("UPDATE registry_audit SET detail = 'nothing happened' WHERE seq = 2").run();
  raw.close();
  const edited = new Registry(path, { auditKey });
  assert.equal(edited.verifyAudit()?.seq, 2);
  edited.close();

  const path2 = join(dir(), "reg.db");
  const r2 = new Registry(path2, { auditKey });
  const d2 = r2.add(key(9));
  r2.bumpEpoch(d2.id);
  r2.bumpEpoch(d2.id);
  r2.close();
  const raw2 = new Database(path2);
  raw2.prepare("DELETE FROM registry_audit WHERE seq = 2").run();
  raw2.close();
  const deleted = new Registry(path2, { auditKey });
  assert.equal(deleted.verifyAudit()?.seq, 3);
  // Without the audit key the chain cannot be re-forged: another key sees every row as bad.
  const wrongKey = new Registry(path2, { auditKey: new Uint8Array(32).fill(8) });
  assert.equal(wrongKey.verifyAudit()?.seq, 1);
  deleted.close();
  wrongKey.close();
});

test("the master key file: created 0600 on first use, reloaded, refused when readable by others or malformed", () => {
  const d = dir();
  const p = join(d, "keys", "master.key");
  const k1 = loadOrCreateMasterKey(p);
  assert.equal(statSync(p).mode & 0o777, 0o600);
  assert.deepEqual(loadOrCreateMasterKey(p), k1);
  assert.equal(registryAuditKey(k1).length, 32);
  chmodSync(p, 0o644);
  assert.equal(code(() => loadOrCreateMasterKey(p)), "KEY_PERMISSIONS");
  const bad = join(d, "bad.key");
  writeFileSync(bad, "not hex\n", { mode: 0o600 });
  assert.equal(code(() => loadOrCreateMasterKey(bad)), "BAD_MASTER");
});
