/**
 * ROTATE_STORAGE (docs/protocol.md §5, docs/lifecycle.md "Storage-key rotation") on the firmware
 * device against the real commissioner: every record re-sealed under a new storage key over an
 * authenticated session, audited, and the device keeps working across a reboot.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { toHex, utf8Encode } from "../../../commissioner/bytes.ts";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession } from "../../../commissioner/session.ts";
import { AuditLog, AuditEvent } from "../../../firmware/lifecycle/audit.ts";
import { purposeKey, PURPOSE } from "../../../firmware/lifecycle/labels.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { flashRegion } from "../../../hal/flash-region.ts";
import { defaultSimSecret } from "../../../hal/sim/device-secret.ts";
import { boot, connect, memoryStore, openGate, ready, reboot, CODE, type World } from "./harness.ts";

const T = 3000;
const fast = { stepTimeoutMs: T };
/** The sim board has 8 pages: the store on 0 … 5, the audit trail on 6 and 7. */
const storeArea = (w: World) => flashRegion(w.flash, 0, 6);

function storeView(w: World) {
  const st = openStore(storeArea(w), defaultSimSecret());
  try {
    const id = st.get("id"), p = st.get("pair");
    return { generation: st.stats().generation, id: id && toHex(id), pair: p && toHex(p) };
  } finally {
    st.close();
  }
}

test("ROTATE_STORAGE: ACK, a new key generation with the same records, audited; sessions work after a reboot", async () => {
  let w = ready(boot());
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  w.device.stop();
  const before = storeView(w);
  w = reboot(w);
  openGate(w);
  const s2 = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  await s2.rotateStorage(T);
  assert.deepEqual(await s2.echo(utf8Encode("after"), T), utf8Encode("after"), "the session goes on after the rotation");
  s2.close();
  s.close();
  w.device.stop();
  const after = storeView(w);
  assert.equal(after.generation, before.generation + 1);
  assert.equal(after.id, before.id, "the identity key survives, re-sealed");
  assert.equal(after.pair, before.pair, "the pairing record survives, re-sealed");
  const log = AuditLog(flashRegion(w.flash, 6, 2), purposeKey(defaultSimSecret(), PURPOSE.AUDIT, 32));
  const rotated: number[] = [];
  log.verify((e) => { if (e.event === AuditEvent.STORAGE_KEY_ROTATED) rotated.push(new DataView(e.detail.buffer, e.detail.byteOffset).getUint32(0)); });
  log.close();
  assert.deepEqual(rotated, [after.generation]);

  w = reboot(w);
  openGate(w);
  const s3 = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  assert.deepEqual(await s3.echo(utf8Encode("rebooted"), T), utf8Encode("rebooted"));
  s3.close();
  w.device.stop();
});

test("ROTATE_STORAGE with a body is PROTO_BAD_PAYLOAD; on a store that cannot rotate the session ends and nothing changes", async () => {
  const mem = memoryStore();
  const w = ready(boot({ store: mem }));
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  const before = new Map([...mem.data].map(([k, v]) => [k, toHex(v)]));
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const r = await s.rotateStorage(T).then(() => null, (e) => e);
  assert.ok(r !== null, "a store without rotateKey cannot ACK a rotation");
  assert.deepEqual(new Map([...mem.data].map(([k, v]) => [k, toHex(v)])), before);
  assert.ok(w.logs.some((l) => /cannot rotate its key/.test(l)), w.logs.join("\n"));
  const s2 = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  await (s2 as unknown as { send(t: number, b: Uint8Array): Promise<void> }).send(0x16, Uint8Array.of(1));
  const e2 = await s2.receive(T).then(() => null, (e) => e);
  assert.ok(e2 !== null, "a body on ROTATE_STORAGE ends the session");
  w.device.stop();
});
