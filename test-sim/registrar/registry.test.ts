/**
 * The registry suite (registrar/registry.ts), the same tests on SQLite and on a throwaway
 * PostgreSQL: device states, identity uniqueness, the audit chain and its tampering, rollback
 * marks, migrations, the master-key binding and master rotation.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openRegistry } from "../../registrar/open-registry.ts";
import { registryKeys } from "../../registrar/master-key.ts";
import { deviceIdOf } from "../../registrar/derive.ts";
import { SCHEMA_VERSION } from "../../registrar/migrations.ts";
import type { Registry } from "../../registrar/registry.ts";
import { registryBackends } from "./backends.ts";

const key = (b: number) => Buffer.alloc(32, b).toString("hex");
const master = new Uint8Array(32).fill(7), otherMaster = new Uint8Array(32).fill(8);
const keys = registryKeys(master);
const code = async (fn: () => Promise<unknown>) => { try { await fn(); } catch (e) { return (e as { code: string }).code; } return "no error"; };

for (const b of registryBackends()) describe(b.name, { skip: b.skip }, () => {
  const open = async (location?: string, k = keys) => openRegistry(location ?? (await b.fresh()), k, { create: true });
  const using = async (fn: (r: Registry, location: string) => Promise<void>) => {
    const location = await b.fresh();
    const r = await open(location);
    try {
      await fn(r, location);
    } finally {
      await r.close();
    }
  };

  test("add, list, show; ids come from the identity key; duplicates and bad keys refused", () => using(async (r) => {
    const d = await r.add(key(1), { label: "kitchen", board: "puckjs", firmware: "0.1.0", serial: "SN1" });
    assert.equal(d.id, deviceIdOf(Buffer.alloc(32, 1)));
    assert.deepEqual([d.status, d.epoch, d.label, d.serial], ["active", 0, "kitchen", "SN1"]);
    assert.equal((await r.list()).length, 1);
    assert.equal(await r.count(), 1);
    assert.equal((await r.get(d.id)).label, "kitchen");
    assert.equal(await code(() => r.add(key(1))), "DUPLICATE");
    assert.equal(await code(() => r.get("0000000000000000")), "UNKNOWN_DEVICE");
    assert.equal(await code(() => r.add("zz")), "BAD_KEY");
    assert.equal(await r.count(), 1, "refusals add nothing");
  }));

  test("rotation: active → rotating → active with the new key and a new epoch; wrong states refused", () => using(async (r) => {
    const d = await r.add(key(2));
    assert.equal(await code(() => r.confirmRotation(d.id, key(3))), "BAD_STATE");
    assert.equal((await r.beginRotation(d.id)).status, "rotating");
    assert.ok(await r.mayOpenSession(d.id), "the old key keeps working until the rotation is confirmed");
    assert.equal(await code(() => r.beginRotation(d.id)), "BAD_STATE");
    assert.equal(await code(() => r.confirmRotation(d.id, key(2))), "BAD_KEY");
    const after = await r.confirmRotation(d.id, key(3));
    assert.deepEqual([after.identityPublic, after.epoch, after.status], [key(3), 1, "active"]);
  }));

  test("one identity key belongs to one device: a rotation to another device's key, or adding a rotated-to key, is refused", () => using(async (r) => {
    const a = await r.add(key(10)), c = await r.add(key(11));
    await r.beginRotation(a.id);
    assert.equal(await code(() => r.confirmRotation(a.id, key(11))), "DUPLICATE");
    assert.equal((await r.get(a.id)).status, "rotating", "the refusal changed nothing");
    await r.confirmRotation(a.id, key(12));
    assert.equal(await code(() => r.add(key(12))), "DUPLICATE", "key 12 is device a's identity now");
    assert.equal(await code(() => r.add(key(10))), "DUPLICATE", "key 10's id is device a's");
    assert.equal((await r.get(c.id)).identityPublic, key(11));
    assert.equal(await r.count(), 2);
  }));

  test("revoked and decommissioned devices may not open sessions; further changes refused", () => using(async (r) => {
    const a = await r.add(key(4)), c = await r.add(key(5));
    await r.setStatus(a.id, "revoked", "lost");
    assert.equal(await r.mayOpenSession(a.id), false);
    assert.equal(await code(() => r.setStatus(a.id, "revoked", "again")), "BAD_STATE");
    assert.equal(await code(() => r.beginRotation(a.id)), "BAD_STATE");
    assert.equal(await code(() => r.bumpEpoch(a.id)), "BAD_STATE");
    await r.setStatus(c.id, "decommissioned", "sold");
    assert.equal(await r.mayOpenSession(c.id), false);
    assert.equal(await code(() => r.setStatus(c.id, "revoked", "x")), "BAD_STATE");
  }));

  test("the audit chain records every change (per device too) and detects an edit, a deleted row or another key", async () => {
    const location = await b.fresh();
    const r = await open(location);
    const d = await r.add(key(6)), other = await r.add(key(7));
    await r.bumpEpoch(d.id);
    await r.beginRotation(d.id);
    await r.confirmRotation(d.id, key(8));
    await r.setStatus(d.id, "revoked", "test");
    assert.deepEqual((await r.auditTrail(d.id)).map((a) => a.action), ["add", "epoch", "rotate-begin", "rotate-confirm", "revoke"]);
    assert.deepEqual((await r.auditTrail(other.id)).map((a) => a.action), ["add"]);
    assert.equal((await r.auditTrail()).length, 6);
    assert.deepEqual(await r.verifyAudit(), { firstBad: null, verified: 6, earlierMaster: 0 });
    await r.close();

    await b.raw(location, "UPDATE registry_audit SET detail = 'nothing happened' WHERE seq = 3");
    const edited = await open(location);
    assert.equal((await edited.verifyAudit()).firstBad?.seq, 3);
    await edited.close();
    await b.raw(location, "DELETE FROM registry_audit WHERE seq = 3");
    const deleted = await open(location);
    assert.equal((await deleted.verifyAudit()).firstBad?.seq, 4, "the row after the hole names a row that is gone");
    await deleted.close();
  });

  test("hiding rows behind a forged master rotation needs the current key: the forged row fails", () => using(async (r, location) => {
    for (let i = 1; i <= 4; i++) await r.add(key(i));
    await b.raw(location, "UPDATE registry_audit SET action = 'master-rotate', detail = 'from master 0000000000000000 to master x' WHERE seq = 3");
    assert.equal((await r.verifyAudit()).firstBad?.seq, 3);
  }));

  test("a second audit row after the same row (a forked chain) is refused by the store's constraint", () => using(async (r, location) => {
    await r.add(key(9));
    const [row] = await r.auditTrail();
    await assert.rejects(b.raw(location, "INSERT INTO registry_audit (at, device_id, action, detail, master_id, prev, hash) VALUES ('x', NULL, 'add', 'fork', ?, ?, ?)",
      [row.masterId, row.prev, "f".repeat(64)]), /unique|UNIQUE/);
  }));

  test("observe raises the rollback marks, refuses a lower sequence number, a lower generation or a caller's problem, and audits each", () => using(async (r) => {
    const d = await r.add(key(1));
    assert.deepEqual([d.auditSeqHigh, d.auditEntryHigh, d.storeGenerationHigh], [-1, "", -1]);
    await r.observe(d.id, { auditSeq: 5, auditEntry: "aa", storeGeneration: 1 });
    await r.observe(d.id, { auditSeq: 5, auditEntry: "aa", storeGeneration: -1 }); // nothing new: no row
    assert.equal(await code(() => r.observe(d.id, { auditSeq: 4, auditEntry: "bb", storeGeneration: 1 })), "ROLLBACK");
    assert.equal(await code(() => r.observe(d.id, { auditSeq: 9, auditEntry: "cc", storeGeneration: 0 })), "ROLLBACK");
    assert.equal(await code(() => r.observe(d.id, { auditSeq: 9, auditEntry: "cc", storeGeneration: 2, problem: "entry 5 differs" })), "ROLLBACK");
    const after = await r.get(d.id);
    assert.deepEqual([after.auditSeqHigh, after.auditEntryHigh, after.storeGenerationHigh], [5, "aa", 1], "refusals never move the marks");
    const up = await r.observe(d.id, { auditSeq: 9, auditEntry: "dd", storeGeneration: 2 });
    assert.deepEqual([up.auditSeqHigh, up.auditEntryHigh, up.storeGenerationHigh], [9, "dd", 2]);
    assert.deepEqual((await r.auditTrail(d.id)).map((a) => a.action), ["add", "high-water", "rollback", "rollback", "rollback", "high-water"]);
    assert.equal((await r.verifyAudit()).firstBad, null);
  }));

  test("epochs reach 2^32 − 1 and stop there", () => using(async (r, location) => {
    const d = await r.add(key(3));
    await b.raw(location, "UPDATE devices SET epoch = 4294967294 WHERE id = ?", [d.id]);
    assert.equal((await r.bumpEpoch(d.id)).epoch, 4294967295);
    assert.equal(await code(() => r.bumpEpoch(d.id)), "BAD_EPOCH");
  }));

  test("migrations: schema_migrations lists each version once; reopening applies nothing; a newer schema is refused by name", async () => {
    const location = await b.fresh();
    await (await open(location)).close();
    const r = await open(location);
    assert.equal(await r.schemaVersion(), SCHEMA_VERSION);
    await r.close();
    const rows = await b.raw(location, "SELECT version, name FROM schema_migrations ORDER BY version");
    assert.deepEqual(rows.map((x) => [Number(x.version), x.name]), [[1, "initial"], [2, "fleet"]]);
    await b.raw(location, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')", [SCHEMA_VERSION + 1]);
    await assert.rejects(open(location), (e: Error & { code?: string }) =>
      e.code === "SCHEMA_TOO_NEW" && e.message.includes(`schema version ${SCHEMA_VERSION + 1}`) && e.message.includes(`versions 1 … ${SCHEMA_VERSION}`));
  });

  test("a registry opened with another master key is refused (WRONG_MASTER) and changes nothing", async () => {
    const location = await b.fresh();
    const r = await open(location);
    await r.add(key(1));
    await r.close();
    await assert.rejects(open(location, registryKeys(otherMaster)), (e: Error & { code?: string }) =>
      e.code === "WRONG_MASTER" && e.message.includes(keys.masterId) && e.message.includes("FIRSTLIGHT_MASTER_KEY"));
    const again = await open(location);
    assert.equal((await again.auditTrail()).length, 1);
    await again.close();
  });

  test("master rotation: every device that may get a key moves to its next epoch; old rows stay linked; the old key is refused after", async () => {
    const location = await b.fresh();
    const r = await open(location);
    const a = await r.add(key(1)), c = await r.add(key(2)), gone = await r.add(key(3));
    await r.beginRotation(c.id);
    await r.setStatus(gone.id, "revoked", "lost");
    const next = registryKeys(otherMaster);
    assert.equal(await code(() => r.rotateMaster(keys)), "BAD_MASTER");
    assert.deepEqual(await r.rotateMaster(next), { devices: 2 });
    assert.deepEqual([(await r.get(a.id)).epoch, (await r.get(c.id)).epoch, (await r.get(gone.id)).epoch], [1, 1, 0]);
    await r.bumpEpoch(a.id); // written under the new master by the same object
    const check = await r.verifyAudit();
    assert.deepEqual(check, { firstBad: null, verified: 2, earlierMaster: 5 });
    const rows = await r.auditTrail();
    assert.equal(rows[5].action, "master-rotate");
    assert.match(rows[5].detail, new RegExp(`from master ${keys.masterId} to master ${next.masterId}; epoch \\+ 1 for 2 devices`));
    await r.close();
    await assert.rejects(open(location), (e: Error & { code?: string }) => e.code === "WRONG_MASTER" && /retired by a master rotation/.test(e.message));
    const reopened = await open(location, next);
    assert.equal((await reopened.verifyAudit()).firstBad, null);
    await reopened.close();
  });
});

test("the audit chain's tags are compared in constant time (crypto.timingSafeEqual) in verifyAudit", async () => {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const crypto = (await import("node:crypto")).default;
  const { syncBuiltinESMExports } = await import("node:module");
  const location = join(mkdtempSync(join(tmpdir(), "fl-ct-")), "registry.db");
  const r = await openRegistry(location, keys, { create: true });
  await r.add(key(1));
  await r.add(key(2));
  const compared: string[] = [];
  const real = crypto.timingSafeEqual;
  const spy = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    compared.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex"));
    return real(a, b);
  };
  const m = (await import("node:test")).mock.method(crypto, "timingSafeEqual", spy);
  syncBuiltinESMExports();
  try {
    assert.equal((await r.verifyAudit()).firstBad, null);
  } finally {
    m.mock.restore();
    syncBuiltinESMExports();
    await r.close();
  }
  const again = await openRegistry(location, keys);
  const tags = (await again.auditTrail()).map((row) => row.hash);
  await again.close();
  assert.equal(tags.length, 2);
  for (const t of tags) assert.ok(compared.some((c) => Buffer.from(c, "hex").toString() === t), `the tag ${t} went through timingSafeEqual`);
});
