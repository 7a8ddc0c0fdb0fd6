/**
 * The boot seed's mix lives in the DRBG personalization until the gate opens; it is wiped on every
 * way out: opening, failing (a health test, a TRNG error) and stopping while still gathering.
 * Observed from outside: the buffer the mix was copied into after the label (Uint8Array.prototype.set,
 * as concatBytes does) is all zeros once the gate has left "gathering". (The pool's running hash also
 * sees the mix; it is pool state, wiped with the pool when the gate fails.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { board, rig, runGate } from "./helpers.ts";
import { memorySeedStore } from "../../../firmware/entropy/boot-seed.ts";
import type { SimTrngScenario } from "../../../hal/sim/trng.ts";

const SEED = new Uint8Array(32).fill(0xa7);
const MIX = new Uint8Array(createHash("sha256").update("firstlight boot seed mix").update(SEED).digest());
const LABEL = "firstlight entropy gate v1";

/** Starts a gate with a saved seed, recording every buffer the seed's mix is copied into. */
function startWatched(scenario: SimTrngScenario) {
  const r = rig(scenario, board(8), memorySeedStore(SEED));
  const holders: Uint8Array[] = [];
  const set = Uint8Array.prototype.set;
  Uint8Array.prototype.set = function (this: Uint8Array, src: ArrayLike<number>, offset?: number) {
    if (src instanceof Uint8Array && offset === LABEL.length && this.length === LABEL.length + 32 && Buffer.from(src).equals(Buffer.from(MIX)))
      holders.push(this);
    return set.call(this, src, offset);
  };
  try { r.gate.start(); } finally { Uint8Array.prototype.set = set; }
  assert.equal(holders.length, 1, "the mix went into the personalization");
  assert.equal(Buffer.from(holders[0].subarray(0, LABEL.length)).toString(), LABEL);
  const zeros = () => holders.every((h) => h.every((x) => x === 0));
  return { r, zeros };
}

test("the personalization is wiped when the gate opens", () => {
  const { r, zeros } = startWatched({ kind: "healthy", seed: "wipe-open", bytesPerSecond: 4096 });
  runGate(r, 10_000);
  assert.equal(r.gate.status().state, "ready");
  assert.ok(zeros());
});

test("the personalization is wiped when a health test fails before the gate opens", () => {
  const { r, zeros } = startWatched({ kind: "stuck", value: 3, bytesPerSecond: 4096 });
  assert.equal(zeros(), false, "held while gathering");
  runGate(r, 10_000);
  assert.equal(r.gate.status().state, "failed");
  assert.ok(zeros());
});

test("the personalization is wiped when the TRNG reports an error before the gate opens", () => {
  const { r, zeros } = startWatched({ kind: "healthy", seed: "wipe-fail", failAfter: 200, bytesPerSecond: 4096 });
  runGate(r, 10_000);
  assert.equal(r.gate.status().error?.hal, "FAIL");
  assert.ok(zeros());
});

test("the personalization is wiped when the gate is stopped while gathering", () => {
  const { r, zeros } = startWatched({ kind: "healthy", seed: "wipe-stop", bytesPerSecond: 4096 });
  r.clock.advance(20);
  assert.equal(r.gate.status().state, "gathering");
  r.gate.stop();
  assert.ok(zeros());
  r.gate.start();
  r.clock.advance(10_000);
  assert.equal(r.gate.status().state, "gathering", "a stopped gate never opens (start() is once)");
});
