/**
 * Security review of issue 10: when the store does not give back the new identity key it was asked
 * to keep (ROTATE_IDENTITY's read-back), the copy it returned is wiped before the refusal.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession } from "../../../commissioner/session.ts";
import { boot, connect, memoryStore, ready, CODE } from "./harness.ts";

const T = 3000;

test("ROTATE_IDENTITY: a read-back that does not match is refused (DEVICE_STORE) and the copy read back is wiped", async () => {
  const store = memoryStore();
  const readBack: Uint8Array[] = [];
  const get = store.get;
  store.get = (n: string) => {
    const v = get(n);
    if (n !== "id.next" || v === null) return v;
    v[0] ^= 1; // the flash kept something else
    readBack.push(v);
    return v;
  };
  const w = ready(boot({ store }));
  try {
    const me = generateKeyPair();
    const r = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T });
    const s = await openSession(connect(w).t, { identity: me, devicePublicKey: r.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
    const err = await s.rotateIdentity(T).then(() => null, (e) => e);
    assert.ok(err, "the rotation must be refused");
    assert.match(String(err.message) + " " + String(err.detail ?? ""), /DEVICE_STORE|not kept/);
    s.close();
    assert.ok(readBack.length >= 1);
    for (const b of readBack) assert.ok(b.every((x) => x === 0), "the read-back copy is wiped");
  } finally {
    w.device.stop();
  }
});
