/**
 * The RAM cache of recently accepted SESSION_HELLO ephemerals (firmware/onboarding/hello-cache.ts,
 * docs/protocol.md §7 "Recent hellos"): the last HELLO_CACHE_SIZE, by fingerprint, oldest out first.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHelloCache, HELLO_CACHE_SIZE } from "../../../firmware/onboarding/hello-cache.ts";

function e(n: number): Uint8Array {
  const b = new Uint8Array(32);
  b[0] = n & 255;
  b[31] = n >> 8;
  return b;
}

test("remembers the last HELLO_CACHE_SIZE ephemerals and forgets the oldest first", () => {
  const c = createHelloCache();
  assert.equal(c.seen(e(1)), false, "empty");
  for (let i = 1; i <= HELLO_CACHE_SIZE; i++) c.remember(e(i));
  for (let i = 1; i <= HELLO_CACHE_SIZE; i++) assert.equal(c.seen(e(i)), true, "kept " + i);
  c.remember(e(100));
  assert.equal(c.seen(e(1)), false, "the oldest is gone");
  assert.equal(c.seen(e(2)), true);
  assert.equal(c.seen(e(100)), true);
  // One bit of difference anywhere is another ephemeral.
  const near = e(2);
  near[17] ^= 1;
  assert.equal(c.seen(near), false);
  // Many more: still exactly the last HELLO_CACHE_SIZE.
  for (let i = 200; i < 300; i++) c.remember(e(i));
  for (let i = 200; i < 300; i++) assert.equal(c.seen(e(i)), i >= 300 - HELLO_CACHE_SIZE, "after a flood: " + i);
});
