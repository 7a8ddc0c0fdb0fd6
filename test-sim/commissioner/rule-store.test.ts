/**
 * The device records outside the registrar (commissioner/rule-store.ts, record-rules.ts: the
 * browser's IndexedDB store runs the same rules) behave as the registrar's registry does: the same
 * operations give the same records, the same refusals and the same history, side by side. And the
 * shared flows (commissioner/flows.ts) record a pairing in either.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex } from "../../commissioner/bytes.ts";
import { deviceIdOf as coreDeviceIdOf, type DeviceRecords } from "../../commissioner/device-records.ts";
import { pairAndRecord, sessionRecord } from "../../commissioner/flows.ts";
import { generateKeyPair } from "../../commissioner/noise.ts";
import { registryRecords } from "../../commissioner/registry-records.node.ts";
import { memoryBackend, RuleStore } from "../../commissioner/rule-store.ts";
import { memoryTransportPair } from "../../commissioner/transport.ts";
import { openSqliteRegistry } from "../../registrar/sqlite-registry.ts";
import { registryKeys } from "../../registrar/master-key.ts";
import { deviceIdOf } from "../../registrar/derive.ts";
import { TestDevice } from "./test-device.ts";

/** One clock for both stores, moved a second before each step (the registry reads it more than once a step). */
let seconds = 0;
const now = () => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();

async function outcome<T>(p: Promise<T>): Promise<T | { refused: string }> {
  try {
    return await p;
  } catch (e) {
    return { refused: String((e as { code?: string }).code) };
  }
}

test("the rule store and the registrar's registry: the same records, refusals and history for the same operations", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fl-rules-"));
  const registry = await openSqliteRegistry(join(dir, "registry.db"), registryKeys(new Uint8Array(32).fill(7)), { create: true, now });
  const store = new RuleStore(memoryBackend(), now);
  try {
    const a = toHex(generateKeyPair().publicKey), b = toHex(generateKeyPair().publicKey), a2 = toHex(generateKeyPair().publicKey);
    const ida = deviceIdOf(Uint8Array.from(Buffer.from(a, "hex"))), idb = deviceIdOf(Uint8Array.from(Buffer.from(b, "hex")));
    assert.equal(coreDeviceIdOf(Uint8Array.from(Buffer.from(a, "hex"))), ida, "one device id rule");
    const steps: ((r: DeviceRecords) => Promise<unknown>)[] = [
      (r) => r.add(a, { label: "kitchen", board: "sim", firmware: "0.1.0", serial: "S1" }),
      (r) => r.add(a),
      (r) => r.add("ABC"),
      (r) => r.add(b),
      (r) => r.get("0000000000000000"),
      (r) => r.observe(ida, { auditSeq: 5, auditEntry: "aa".repeat(32), storeGeneration: 1 }),
      (r) => r.observe(ida, { auditSeq: 5, auditEntry: "aa".repeat(32), storeGeneration: 1 }),
      (r) => r.observe(ida, { auditSeq: 4, auditEntry: "bb".repeat(32), storeGeneration: 1 }),
      (r) => r.observe(ida, { auditSeq: 9, auditEntry: "cc".repeat(32), storeGeneration: 0 }),
      (r) => r.observe(ida, { auditSeq: 9, auditEntry: "cc".repeat(32), storeGeneration: 2, problem: "audit entry 5 differs" }),
      (r) => r.observe(ida, { auditSeq: 9, auditEntry: "cc".repeat(32), storeGeneration: -1 }),
      (r) => r.confirmRotation(ida, a2),
      (r) => r.beginRotation(ida),
      (r) => r.beginRotation(ida),
      (r) => r.confirmRotation(ida, a),
      // A device names its new key without proving it holds it: another device's key is refused,
      // or one record would be redirected to the other device.
      (r) => r.confirmRotation(ida, b),
      (r) => r.confirmRotation(ida, a2),
      // The key a record rotated to is that record's: pairing it again adds no second record.
      (r) => r.add(a2),
      (r) => r.setStatus(idb, "revoked", "lost in the post"),
      (r) => r.setStatus(idb, "revoked", "again"),
      (r) => r.setStatus(idb, "decommissioned", "shredded"),
      (r) => r.setStatus(idb, "revoked", "after"),
      (r) => r.beginRotation(idb),
      (r) => r.list(),
    ];
    const viaRegistry = registryRecords(registry);
    for (const [i, step] of steps.entries()) {
      seconds++;
      const [x, y] = [await outcome(step(viaRegistry)), await outcome(step(store))];
      assert.deepEqual(y, x, `step ${i}: ${step.toString()}`);
    }
    for (const id of [ida, idb]) {
      const fromRegistry = (await registry.auditTrail(id)).map((r) => [r.at, r.action, r.detail]);
      const fromStore = (await store.history(id)).map((r) => [r.at, r.action, r.detail]);
      assert.deepEqual(fromStore, fromRegistry, `history of ${id}`);
    }
  } finally {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("flows: a pairing recorded in the rule store; paired again it is not added twice; a decommissioned device gets no session", async () => {
  const records = new RuleStore(memoryBackend());
  const identity = generateKeyPair();
  const dev = new TestDevice({ code: "20202021", info: { board: "sim", firmware: "0.1.0" } });
  for (const expectAdded of [true, false]) {
    // A device pairs once per window: the second pairing is the same identity behind a new window.
    const device = expectAdded ? dev : new TestDevice({ code: "20202021", info: { board: "sim", firmware: "0.1.0" }, identity: dev.identity });
    const [c, d] = memoryTransportPair();
    const [r] = await Promise.all([pairAndRecord(c, { code: "20202021", identity, records, label: "porch" }), device.pair(d)]);
    assert.equal(r.added, expectAdded);
    assert.equal(r.record.id, deviceIdOf(dev.identity.publicKey));
    assert.deepEqual([r.record.label, r.record.board, r.record.status], ["porch", "sim", "active"]);
  }
  const id = deviceIdOf(dev.identity.publicKey);
  assert.equal((await sessionRecord(records, id)).id, id);
  await records.setStatus(id, "decommissioned", "test");
  await assert.rejects(sessionRecord(records, id), (e: { code?: string }) => e.code === "DEVICE_NOT_ACTIVE");
  await assert.rejects(sessionRecord(records, "0123456789abcdef"), (e: { code?: string }) => e.code === "UNKNOWN_DEVICE");
});
