import { test } from "node:test";
import assert from "node:assert/strict";
import { SimTrng, clonedTrngs, type SimTrngScenario } from "../../../hal/sim/trng.ts";
import { SimClock } from "../../../hal/sim/clock.ts";

function take(t: SimTrng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += 256) t.read(Math.min(256, n - o), (e, b) => { assert.equal(e, null); out.set(b!, o); });
  return out;
}
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const sim = (sc: SimTrngScenario) => new SimTrng(sc);

test("healthy: deterministic per seed, different across seeds, roughly uniform", () => {
  assert.equal(hex(take(sim({ kind: "healthy", seed: 1 }), 64)), hex(take(sim({ kind: "healthy", seed: 1 }), 64)));
  assert.notEqual(hex(take(sim({ kind: "healthy", seed: 1 }), 64)), hex(take(sim({ kind: "healthy", seed: 2 }), 64)));
  const [a, b] = clonedTrngs();
  assert.notEqual(hex(take(a, 32)), hex(take(b, 32)));
  const counts = new Array(256).fill(0);
  for (const x of take(sim({ kind: "healthy", seed: 3 }), 256 * 400)) counts[x]++;
  assert.ok(Math.min(...counts) > 300 && Math.max(...counts) < 500);
});

test("stuck, pattern, biased, zeros-first", () => {
  assert.ok(take(sim({ kind: "stuck", value: 0x7e }), 100).every((x) => x === 0x7e));
  assert.equal(hex(take(sim({ kind: "pattern", pattern: [1, 2, 3] }), 7)), "01020301020301");
  for (const p of [0.1, 0.5, 0.8]) {
    let ones = 0;
    for (const x of take(sim({ kind: "biased", p, seed: 4 }), 20_000)) for (let i = 0; i < 8; i++) ones += (x >> i) & 1;
    assert.ok(Math.abs(ones / 160_000 - p) < 0.01, `p=${p}: ${ones / 160_000}`);
  }
  const z = take(sim({ kind: "healthy", seed: 5, zerosFirst: 10 }), 40);
  assert.ok(z.subarray(0, 10).every((x) => x === 0) && z.subarray(10).some((x) => x !== 0));
});

test("failing after N bytes: a short read delivers the rest, then FAIL; bad sizes are SIZE", () => {
  const t = sim({ kind: "healthy", failAfter: 100 });
  const got: [string | null, number][] = [];
  for (let i = 0; i < 3; i++) t.read(64, (e, b) => got.push([e, b ? b.length : 0]));
  assert.deepEqual(got, [[null, 64], [null, 36], ["FAIL", 0]]);
  for (const n of [0, 257, 1.5]) t.read(n, (e) => assert.equal(e, "SIZE"));
});

test("slow: a read completes after n / rate seconds on the clock", () => {
  const clock = new SimClock(), t = new SimTrng({ kind: "healthy", bytesPerSecond: 50 }, clock);
  let at = -1;
  t.read(100, () => (at = clock.now()));
  assert.equal(at, -1, "split-phase: nothing synchronous");
  clock.advance(1999);
  assert.equal(at, -1);
  clock.advance(1);
  assert.equal(at, 2000);
});
