/**
 * The packed SHA-2 table (firmware/crypto/sha2-constants.ts) against the constants' definition
 * (FIPS 180-4 §4.2.2, §4.2.3, §5.3.3, §5.3.5): fractional bits of square and cube roots of the first
 * primes, computed here with exact integer roots, not copied from a table.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SHA2_WORDS } from "../../../firmware/crypto/sha2-constants.ts";

function primes(n: number): bigint[] {
  const out: bigint[] = [];
  for (let x = 2; out.length < n; x++) if (out.every((p) => x % Number(p) !== 0)) out.push(BigInt(x));
  return out;
}

/** floor(x^(1/k)) for x ≥ 0, by Newton's method on integers. */
function iroot(x: bigint, k: bigint): bigint {
  if (x < 2n) return x;
  let r = 1n << (BigInt(x.toString(2).length) / k + 1n);
  for (;;) {
    const next = ((k - 1n) * r + x / r ** (k - 1n)) / k;
    if (next >= r) break;
    r = next;
  }
  while (r ** k > x) r--;
  while ((r + 1n) ** k <= x) r++;
  return r;
}

/** The first 64 fractional bits of p^(1/k). */
const frac64 = (p: bigint, k: bigint) => iroot(p << (64n * k), k) & ((1n << 64n) - 1n);

test("SHA2_WORDS: H(0) and K of SHA-512 as hi, lo words, from the roots of the first primes", () => {
  assert.equal(SHA2_WORDS.length, 176);
  const ps = primes(80);
  const expect: number[] = [];
  for (const p of ps.slice(0, 8)) { const f = frac64(p, 2n); expect.push(Number(f >> 32n), Number(f & 0xffffffffn)); }
  for (const p of ps) { const f = frac64(p, 3n); expect.push(Number(f >> 32n), Number(f & 0xffffffffn)); }
  assert.deepEqual(Array.from(SHA2_WORDS), expect);
});

test("SHA-256's H(0) and K are the hi words (the same roots to 32 bits)", () => {
  const ps = primes(64);
  for (let i = 0; i < 64; i++) assert.equal(SHA2_WORDS[16 + 2 * i], Number(frac64(ps[i], 3n) >> 32n), `K[${i}]`);
  for (let i = 0; i < 8; i++) assert.equal(SHA2_WORDS[2 * i], Number(frac64(ps[i], 2n) >> 32n), `H[${i}]`);
});
