/**
 * The device's log lines never carry key material: a whole lifecycle (a failed attempt, pairing,
 * session with a rekey, identity and storage-key rotation, decommission) is logged, and no secret
 * the device held — nor its first 8 bytes — appears in them, in hex of either case or in base64.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession } from "../../../commissioner/session.ts";
import { utf8Encode } from "../../../commissioner/bytes.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { flashRegion } from "../../../hal/flash-region.ts";
import { defaultSimSecret } from "../../../hal/sim/device-secret.ts";
import { boot, connect, ready, CODE } from "./harness.ts";

const T = 3000;

test("no key bytes in the device's log over a whole lifecycle", async () => {
  const w = ready(boot());
  const bad = await pair(connect(w).t, { code: "20202022", identity: generateKeyPair(), stepTimeoutMs: T }).then(() => null, (e) => e);
  assert.equal(bad?.code, "PAIRING_FAILED");
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T, rekeyMessages: 2 });
  const secrets: [string, Uint8Array][] = [["root", defaultSimSecret()]];
  const readId = (name: string) => {
    const st = openStore(flashRegion(w.flash, 0, 6), defaultSimSecret());
    try {
      const v = st.get(name);
      if (v) secrets.push([name, v.slice()]);
    } finally {
      st.close();
    }
  };
  readId("id");
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const cs = s as unknown as { sendCs: { k: Uint8Array }; recvCs: { k: Uint8Array } };
  secrets.push(["session c→d", cs.sendCs.k.slice()], ["session d→c", cs.recvCs.k.slice()]);
  for (let i = 0; i < 5; i++) await s.echo(utf8Encode("m" + i), T); // the device rekeys after 2
  const next = await s.rotateIdentity(T);
  readId("id.next");
  await s.confirmRotation(next, T);
  await s.rotateStorage(T);
  await s.decommission(T);
  w.device.stop();

  const text = w.logs.join("\n");
  assert.ok(text.length > 500 && /decommissioned/.test(text), "the lifecycle was logged:\n" + text);
  assert.equal(secrets.length, 5, secrets.map(([n]) => n).join(", "));
  for (const [name, k] of secrets) {
    assert.ok(!k.every((b) => b === 0), name + " captured");
    for (const part of [k, k.subarray(0, 8)]) {
      const hex = Buffer.from(part).toString("hex");
      for (const form of [hex, hex.toUpperCase(), Buffer.from(part).toString("base64").replace(/=+$/, "")]) {
        assert.ok(!text.includes(form), `${name} (${part.length} bytes) appears in the log as ${form}`);
      }
    }
  }
});
