/**
 * Security review of issue 10 item 5: on boards whose store has fewer than 4 free pages for a
 * rotation (Puck.js: 4 store pages, Pico: 3) the first-life store's move to a random seed cannot
 * be a key rotation (it needs 3 spare pages). While nothing secret is stored yet it is a shred to a
 * random-seeded key page and a fresh boot seed; pairing is refused (BUSY STORE_SEED_DERIVED) while
 * the store's key page still has a root-derived seed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { defaultSimSecret } from "../../../hal/sim/device-secret.ts";
import { boot, connect, newFlash, ready, CODE, type World } from "./harness.ts";

const T = 3000;

/** The store as it is on flash (the device stopped; these boards have no audit pages). */
function storeView(w: World) {
  const st = openStore(w.flash, defaultSimSecret());
  try {
    const s = st.stats();
    return { generation: s.generation, seedSource: s.seedSource, names: st.names() };
  } finally {
    st.close();
  }
}

for (const board of ["puckjs", "pico"]) {
  test(board + ": the first-life store moves to a random seed when the gate opens; pairing seals under it", async () => {
    const w = ready(boot({ board }));
    assert.equal(w.device.status().entropy.state, "ready");
    const res = await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), stepTimeoutMs: T });
    assert.ok(res.devicePublicKey instanceof Uint8Array);
    w.device.stop();
    const v = storeView(w);
    assert.equal(v.seedSource, "random", w.logs.join("\n"));
    for (const n of ["id", "pair", "seed"]) assert.ok(v.names.includes(n), n + " is in the store: " + v.names.join(","));
  });
}

test("puckjs: a derived-seed store that already holds a non-seed record is not shredded; pairing is refused with BUSY STORE_SEED_DERIVED", async () => {
  const flash = newFlash("puckjs");
  // An older firmware counted a failed attempt under the root-derived first-life key page.
  const st = openStore(flash, defaultSimSecret());
  st.put("fails", new Uint8Array([1]));
  st.close();
  const w = ready(boot({ board: "puckjs", flash }));
  const err = await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), stepTimeoutMs: T }).then(() => null, (e) => e);
  assert.ok(err, "pairing must be refused");
  assert.match(String(err.message) + " " + String(err.detail ?? ""), /BUSY|busy/);
  assert.match(String(err.message) + " " + String(err.detail ?? ""), /STORE_SEED_DERIVED/);
  assert.equal(w.device.identityPublicKey(), null, "no identity key generated");
  assert.equal(w.device.status().failedAttempts, 1, "nothing counted, nothing lost");
  w.device.stop();
  const v = storeView(w);
  assert.equal(v.seedSource, "derived");
  assert.deepEqual(v.names, ["fails", "seed"]);
});
