import { test } from "node:test";
import assert from "node:assert/strict";
import { takeBootSeed, saveBootSeed, memorySeedStore } from "../../../firmware/entropy/boot-seed.ts";

const hex = (b: Uint8Array | null) => (b === null ? "null" : Buffer.from(b).toString("hex"));

test("a seed is used once: replaced by a one-way successor at load; the mixed value is neither", () => {
  const seed = new Uint8Array(32).fill(5), store = memorySeedStore(seed);
  const mix = takeBootSeed(store)!;
  assert.equal(store.saves, 1);
  assert.notEqual(hex(store.seed), hex(seed));
  assert.notEqual(hex(mix), hex(seed));
  assert.notEqual(hex(mix), hex(store.seed));
  const mix2 = takeBootSeed(store)!;
  assert.notEqual(hex(mix2), hex(mix), "the next boot mixes a different value even without a fresh save");
});

test("absent, malformed or failing stores give no seed and never throw", () => {
  assert.equal(takeBootSeed(null), null);
  assert.equal(takeBootSeed(memorySeedStore(null)), null);
  assert.equal(takeBootSeed(memorySeedStore(new Uint8Array(31))), null);
  assert.equal(takeBootSeed({ load: () => { throw new Error("io"); }, save() {} }), null);
  assert.equal(saveBootSeed({ load: () => null, save: () => { throw new Error("io"); } }, new Uint8Array(32)), false);
  assert.equal(saveBootSeed(null, new Uint8Array(32)), false);
});
