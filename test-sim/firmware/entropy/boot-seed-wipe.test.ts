/** The boot seed's bytes as loaded from the store are wiped once its successor and mix are derived (issue 10, item 9). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { takeBootSeed } from "../../../firmware/entropy/boot-seed.ts";

test("takeBootSeed wipes the buffer the store handed it", () => {
  const loaded: Uint8Array[] = [];
  const store = {
    load: () => {
      const b = new Uint8Array(32).fill(0x5a);
      loaded.push(b);
      return b;
    },
    save: () => {},
  };
  const mix = takeBootSeed(store);
  assert.ok(mix !== null && mix.some((x) => x !== 0));
  assert.equal(loaded.length, 1);
  assert.ok(loaded[0].every((x) => x === 0), "the loaded seed is still in RAM");
  // A malformed one (wrong length) is wiped too.
  const bad = new Uint8Array(31).fill(7);
  assert.equal(takeBootSeed({ load: () => bad, save: () => {} }), null);
  assert.ok(bad.every((x) => x === 0));
});
