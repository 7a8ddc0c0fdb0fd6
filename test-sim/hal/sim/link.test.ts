import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../../../hal/sim/clock.ts";
import { createLinkPair } from "../../../hal/sim/link.ts";

test("chunks are split as configured and delayed on the clock", () => {
  const clock = new SimClock();
  const [a, b] = createLinkPair({ clock, delayMs: 10, maxChunk: 4 });
  const sizes: number[] = [];
  const times: number[] = [];
  b.onReceive((c) => { sizes.push(c.length); times.push(clock.now()); });
  a.send(new Uint8Array(10));
  clock.advance(9);
  assert.deepEqual(sizes, []);
  clock.advance(1);
  assert.deepEqual(sizes, [4, 4, 2]);
  assert.deepEqual(times, [10, 10, 10]);
  assert.equal(a.bytesSent(), 10);
});

test("bytes sent before the receiver registers are held, not lost", () => {
  const [a, b] = createLinkPair();
  a.send(Uint8Array.of(1, 2));
  a.send(Uint8Array.of(3));
  const got: number[] = [];
  b.onReceive((c) => got.push(...c));
  assert.deepEqual(got, [1, 2, 3]);
});

test("delivery is not re-entrant: an echo inside a handler is queued", () => {
  const [a, b] = createLinkPair();
  let depth = 0, maxDepth = 0, n = 0;
  b.onReceive((c) => {
    depth++;
    maxDepth = Math.max(maxDepth, depth);
    if (++n < 5) b.send(c);
    depth--;
  });
  a.onReceive((c) => a.send(c));
  a.send(Uint8Array.of(7));
  assert.equal(n, 5);
  assert.equal(maxDepth, 1);
});
