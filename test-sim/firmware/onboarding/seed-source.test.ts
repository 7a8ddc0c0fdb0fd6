/**
 * Issue 10 item 5: a key page's seed never silently comes from the root when the DRBG is not
 * available (docs/lifecycle.md "Storage keys", docs/protocol.md §7). A first-life store moves to a
 * random seed once the gate opens. A factory reset before the gate opens and DECOMMISSION with
 * the gate failed shred at once to a derived-seed key page (the shred destroys the old random seed;
 * nothing secret can be stored until the gate opens and the store moves to a random seed);
 * ROTATE_STORAGE with the gate failed is refused and changes nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession } from "../../../commissioner/session.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { flashRegion } from "../../../hal/flash-region.ts";
import { defaultSimSecret } from "../../../hal/sim/device-secret.ts";
import { boot, connect, openGate, ready, reboot, CODE, type World } from "./harness.ts";

const T = 3000;
const fast = { stepTimeoutMs: T };

/** The store as it is on flash (the device stopped): its generation, seed source and names. */
function storeView(w: World) {
  const st = openStore(flashRegion(w.flash, 0, 6), defaultSimSecret());
  try {
    const s = st.stats();
    return { generation: s.generation, seedSource: s.seedSource, names: st.names() };
  } finally {
    st.close();
  }
}

test("a first-life store, formatted before the gate opens (derived seed), moves to a random seed once it opens", () => {
  const w = boot();
  openGate(w);
  w.device.stop();
  const v = storeView(w);
  assert.equal(v.seedSource, "random");
  assert.ok(w.logs.some((l) => l.includes("random seed")), w.logs.join("\n"));
});

test("a long press before the gate opens shreds at once (derived-seed key page, nothing kept); the store moves to a random seed when the gate opens", async () => {
  let w = ready(boot());
  await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), ...fast });
  w.device.stop();
  const before = storeView(w);
  // A slow source: the gate needs 1024 samples, 20 s at 50 bytes/s; the long press is seen at 10 s.
  w = reboot(w, { trng: { kind: "healthy", seed: "slow source", bytesPerSecond: 50 } });
  const until = w.hal.button.press(10500, { bounceEdges: 4 });
  w.clock.advance(10100);
  assert.equal(w.device.status().entropy.state, "gathering");
  assert.equal(w.rebooted, true, "the shred does not wait for the gate");
  w.clock.advance(until - w.clock.now() + 100);
  w.device.stop();
  const shredded = storeView(w);
  assert.equal(shredded.seedSource, "derived");
  assert.ok(shredded.generation > before.generation);
  assert.deepEqual(shredded.names, [], "identity, pairing and boot seed are gone");
  w = reboot(w);
  openGate(w);
  w.device.stop();
  const after = storeView(w);
  assert.equal(after.seedSource, "random");
  assert.ok(after.generation > shredded.generation);
});

test("with the gate failed ROTATE_STORAGE is refused and changes nothing; DECOMMISSION shreds at once to a derived-seed key page", async () => {
  // The source fails at its next read after the gate opened and the pairing ran (the 60 s reseed).
  let w = ready(boot());
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  w.device.stop();
  const before = storeView(w);
  for (const op of ["rotateStorage", "decommission"] as const) {
    w = reboot(w, { trng: { kind: "healthy", seed: "fails " + op, failAfter: 4096 } });
    openGate(w);
    const s = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: 10 * T });
    // A first message confirms the session (the device then gives it the 10 min idle time).
    assert.deepEqual(await s.echo(new Uint8Array([1]), T), new Uint8Array([1]));
    for (let i = 0; i < 200 && w.device.status().entropy.state !== "failed"; i++) w.clock.advance(1000);
    assert.equal(w.device.status().entropy.state, "failed");
    const err = await s[op](T).then(() => null, (e) => e);
    s.close();
    w.device.stop();
    const after = storeView(w);
    if (op === "rotateStorage") {
      assert.ok(err, op + " must be refused");
      assert.match(String(err.message) + " " + String(err.detail ?? ""), /ENTROPY_SOURCE_FAILED/);
      assert.equal(after.generation, before.generation, op + ": no new key page");
      assert.deepEqual(after.names, before.names, op + ": nothing shredded");
    } else {
      assert.equal(err, null, "DECOMMISSION is answered");
      assert.ok(after.generation > before.generation, "a new key page");
      assert.equal(after.seedSource, "derived");
      assert.deepEqual(after.names, [], "identity and pairing are gone");
      // The next boot with a healthy source moves it to a random seed.
      w = reboot(w);
      openGate(w);
      w.device.stop();
      assert.equal(storeView(w).seedSource, "random");
    }
  }
});
