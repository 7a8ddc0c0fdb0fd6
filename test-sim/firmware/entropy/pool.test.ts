import { test } from "node:test";
import assert from "node:assert/strict";
import { sha256 } from "@noble/hashes/sha2.js";
import { EntropyPool, POOL_BLOCK_BITS } from "../../../firmware/entropy/pool.ts";
import { SimTrng, type SimTrngScenario } from "../../../hal/sim/trng.ts";
import { codeOf } from "./helpers.ts";

function bytes(sc: SimTrngScenario, n: number): Uint8Array {
  const t = new SimTrng(sc), out = new Uint8Array(n);
  for (let o = 0; o < n; o += 256) t.read(Math.min(256, n - o), (_e, b) => out.set(b!, o));
  return out;
}
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("start-up samples are mixed but not credited; then credit ≤ bitsPerByte × bytes, in 256-bit blocks", () => {
  for (const h of [0.5, 1, 4, 8]) {
    const pool = new EntropyPool(100), id = pool.addSource("trng", h);
    const data = bytes({ kind: "healthy", seed: h }, 4096);
    assert.equal(pool.mix(id, data.subarray(0, 1024)), null);
    assert.equal(pool.credited(), 0, `H=${h}: nothing for the start-up samples`);
    for (let o = 1024; o < 4096; o += 64) assert.equal(pool.mix(id, data.subarray(o, o + 64)), null);
    const credited = pool.credited();
    assert.ok(credited <= 3072 * h + 1e-9, `H=${h}: ${credited} ≤ ${3072 * h}`);
    assert.ok(credited >= 3072 * Math.min(h, 5) - POOL_BLOCK_BITS, `H=${h}: ${credited} bits, close to the rate`);
    assert.equal(pool.blocks.length, Math.floor(credited / POOL_BLOCK_BITS));
  }
});

test("credit never exceeds a biased source's true min-entropy, even when the board over-claims", () => {
  for (const p of [0.55, 0.6, 0.7]) {
    const pool = new EntropyPool(1000), id = pool.addSource("trng", 8);
    const data = bytes({ kind: "biased", p, seed: 3 }, 1024 * 8);
    for (let o = 0; o < data.length; o += 64) if (pool.mix(id, data.subarray(o, o + 64)) !== null) break;
    const trueH = -8 * Math.log2(Math.max(p, 1 - p));
    const rate = pool.rate(id);
    assert.ok(rate < trueH, `p=${p}: credited ${rate.toFixed(2)} bits/byte < true ${trueH.toFixed(2)}`);
  }
});

test("a 0-bit source is mixed (outputs change) but never credited; a ceiling caps the board's claim", () => {
  const a = new EntropyPool(), b = new EntropyPool();
  const sa = a.addSource("serial", 0), sb = b.addSource("serial", 0);
  a.mix(sa, new Uint8Array(4096).fill(1));
  b.mix(sb, new Uint8Array(4096).fill(2));
  assert.equal(a.credited(), 0);
  assert.equal(a.sources[sa].health, null);
  assert.notEqual(hex(a.extract()), hex(b.extract()));
  const c = new EntropyPool(100), id = c.addSource("adc", 8, 2);
  assert.equal(c.sources[id].bitsPerByte, 2);
  const d = bytes({ kind: "healthy", seed: 1 }, 2048);
  c.mix(id, d.subarray(0, 1024));
  c.mix(id, d.subarray(1024));
  assert.ok(c.credited() <= 2048 && c.credited() >= 1792, String(c.credited()));
  assert.equal(codeOf(() => c.addSource("x", 9)), "ENTROPY_BAD_CONFIG");
});

test("outputs never repeat without new samples and follow the documented construction", () => {
  const pool = new EntropyPool(), seen = new Set<string>();
  for (let i = 0; i < 100; i++) seen.add(hex(pool.extract()));
  assert.equal(seen.size, 100);
  // Reference: S1 = H(00 ‖ S0 ‖ ctr=1 ‖ H(samples)), out = H(01 ‖ S1), next running hash keyed by S1.
  const p2 = new EntropyPool(), id = p2.addSource("s", 0), samples = new Uint8Array([1, 2, 3]);
  p2.mix(id, samples);
  const s1 = sha256(Uint8Array.from([0, ...new Uint8Array(32), 0, 0, 0, 1, ...sha256(samples)]));
  assert.equal(hex(p2.extract()), hex(sha256(Uint8Array.from([1, ...s1]))));
  const s2 = sha256(Uint8Array.from([0, ...s1, 0, 0, 0, 2, ...sha256(s1)]));
  assert.equal(hex(p2.extract()), hex(sha256(Uint8Array.from([1, ...s2]))));
});

test("a failed source stops the pool: nothing more is mixed or extracted", () => {
  const pool = new EntropyPool(), id = pool.addSource("trng", 8);
  assert.equal(pool.mix(id, new Uint8Array([7, 7, 7, 7, 7, 7])), "trng: repetition-count");
  assert.equal(pool.mix(id, bytes({ kind: "healthy" }, 64)), "trng: repetition-count");
  assert.equal(codeOf(() => pool.extract()), "ENTROPY_SOURCE_FAILED");
  assert.equal(codeOf(() => pool.takeBlock()), "ENTROPY_SOURCE_FAILED");
});

test("full blocks hold back credit, which becomes a block when one is taken", () => {
  const pool = new EntropyPool(1), id = pool.addSource("trng", 8);
  const d = bytes({ kind: "healthy", seed: 8 }, 1024 + 512);
  pool.mix(id, d.subarray(0, 1024));
  pool.mix(id, d.subarray(1024));
  assert.equal(pool.blocks.length, 1);
  assert.equal(pool.fresh, POOL_BLOCK_BITS);
  const b = pool.takeBlock()!;
  assert.equal(b.length, 32);
  pool.mix(id, d.subarray(1024, 1025 + 1));
  assert.equal(pool.blocks.length, 1);
});
