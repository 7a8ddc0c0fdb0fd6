/**
 * GF(2^255 − 19) (firmware/crypto/field25519.ts) against exact integer arithmetic mod p, on random
 * elements and on limbs pushed to the bounds the file's contract allows.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as F from "../../../firmware/crypto/field25519.ts";
import { CARRIED, P, generate } from "../../../build/gen-field25519.ts";
import { readFileSync } from "node:fs";

const p = 2n ** 255n - 19n;
const mod = (x: bigint) => ((x % p) + p) % p;
const value = (a: Float64Array) => mod(a.reduce((s, x, i) => s + BigInt(x) * 2n ** BigInt(P(i)), 0n));
const le = (x: bigint) => { const b = new Uint8Array(32); for (let i = 0; i < 32; i++) b[i] = Number((x >> BigInt(8 * i)) & 255n); return b; };
const fromLe = (b: Uint8Array) => b.reduce((s, x, i) => s + (BigInt(x) << BigInt(8 * i)), 0n);
const fe = (x: bigint) => { const o = F.feNew(); F.feFromBytes(o, le(mod(x))); return o; };
const limbs = (v: number[]) => Float64Array.from(v);
const bound = CARRIED.map(Number);
function powmod(b: bigint, e: bigint): bigint {
  let r = 1n; b = mod(b);
  for (; e > 0n; e >>= 1n, b = b * b % p) if (e & 1n) r = r * b % p;
  return r;
}
function assertCarried(a: Float64Array, what: string): void {
  for (let i = 0; i < 12; i++) {
    assert.ok(Number.isInteger(a[i]), `${what}: limb ${i} not an integer`);
    assert.ok(Math.abs(a[i]) <= bound[i], `${what}: limb ${i} = ${a[i]} above ${bound[i]}`);
  }
}

const EDGES = [0n, 1n, 2n, 9n, 19n, p - 1n, p - 2n, p, p + 1n, 2n ** 255n - 1n, 2n ** 254n, 2n ** 128n - 1n, (p - 1n) / 2n, 121665n];
/** Raw 255-bit integers (not reduced): random, or an edge value. */
const raw = fc.oneof(
  { arbitrary: fc.bigInt({ min: 0n, max: 2n ** 255n - 1n }), weight: 4 },
  fc.constantFrom(...EDGES),
);
/** Carried limbs anywhere in their bounds, often at ±bound exactly. */
const carriedLimbs = fc.tuple(...bound.map((b) => fc.oneof(fc.integer({ min: -b, max: b }), fc.constantFrom(-b, b, 0)))).map(limbs);
/** A sum of two carried values (the ladder's mul inputs). */
const sum2 = fc.tuple(carriedLimbs, carriedLimbs).map(([a, b]) => { const o = F.feNew(); F.feAdd(o, a, b); return o; });

test("the generated region is up to date", () => {
  const src = readFileSync(new URL("../../../firmware/crypto/field25519.ts", import.meta.url), "utf8");
  assert.ok(src.includes(generate().code), "rerun tsx build/gen-field25519.ts");
});

test("feFromBytes/feToBytes: reduction mod p, bit 255 ignored, canonical output", () => {
  fc.assert(fc.property(raw, fc.boolean(), (x, high) => {
    const b = le(x); if (high) b[31] |= 128;
    const a = F.feNew(); F.feFromBytes(a, b);
    assertCarried(a, "feFromBytes");
    assert.equal(value(a), mod(x));
    const out = new Uint8Array(32); F.feToBytes(out, a);
    assert.equal(fromLe(out), mod(x));
  }), { numRuns: 500 });
});

test("feToBytes is canonical for any limbs up to 2^29 (sums of many carried values)", () => {
  const big = fc.tuple(...Array.from({ length: 12 }, () => fc.oneof(fc.integer({ min: -(2 ** 29), max: 2 ** 29 }), fc.constantFrom(-(2 ** 29), 2 ** 29, 0, -1)))).map(limbs);
  fc.assert(fc.property(big, (a) => {
    const out = new Uint8Array(32); F.feToBytes(out, a);
    assert.equal(fromLe(out), value(a));
  }), { numRuns: 1000 });
  // Limb patterns that sit exactly on p, p − 1, p + 1 and −1.
  for (const x of [p, p - 1n, p + 1n, 2n ** 255n - 1n]) {
    const a = F.feNew(); const b = le(x); F.feFromBytes(a, b);
    const out = new Uint8Array(32); F.feToBytes(out, a);
    assert.equal(fromLe(out), mod(x), `x = ${x}`);
  }
  const m1 = F.feNew(); m1[0] = -1;
  const out = new Uint8Array(32); F.feToBytes(out, m1);
  assert.equal(fromLe(out), p - 1n);
});

test("feMul and feSqr: exact and carried for sums of two carried values at their bounds", () => {
  fc.assert(fc.property(sum2, sum2, (a, b) => {
    const o = F.feNew();
    F.feMul(o, a, b); assertCarried(o, "feMul"); assert.equal(value(o), value(a) * value(b) % p);
    F.feSqr(o, a); assertCarried(o, "feSqr"); assert.equal(value(o), value(a) * value(a) % p);
  }), { numRuns: 1000 });
});

test("the add budget: products of sums with m_a·m_b = 16 are exact, at every sign pattern of the bounds", () => {
  for (const [ma, mb] of [[4, 4], [2, 8], [1, 16]]) for (const sa of [1, -1]) for (const alt of [false, true]) {
    const a = limbs(bound.map((x, i) => ma * x * (alt && i % 2 ? -sa : sa)));
    const b = limbs(bound.map((x) => mb * x));
    const o = F.feNew();
    F.feMul(o, a, b); assertCarried(o, `mul ${ma}·${mb}`);
    assert.equal(value(o), value(a) * value(b) % p);
    if (ma === mb) { F.feSqr(o, a); assert.equal(value(o), value(a) * value(a) % p); }
  }
});

test("feAdd, feSub, feNeg, feMulSmall, feCarry", () => {
  fc.assert(fc.property(carriedLimbs, carriedLimbs, fc.integer({ min: 0, max: 2 ** 17 - 1 }), (a, b, k) => {
    const o = F.feNew();
    F.feAdd(o, a, b); assert.equal(value(o), mod(value(a) + value(b)));
    F.feSub(o, a, b); assert.equal(value(o), mod(value(a) - value(b)));
    F.feNeg(o, a); assert.equal(value(o), mod(-value(a)));
    F.feMulSmall(o, a, k); assertCarried(o, "feMulSmall"); assert.equal(value(o), value(a) * BigInt(k) % p);
    const s = limbs(Array.from(a, (x) => x * 1024)); // a sum of 1024 copies
    F.feMulSmall(o, s, 121665); assert.equal(value(o), value(s) * 121665n % p);
    F.feCarry(o, s); assertCarried(o, "feCarry"); assert.equal(value(o), value(s));
  }), { numRuns: 500 });
});

test("outputs may alias inputs", () => {
  fc.assert(fc.property(raw, raw, (x, y) => {
    const a = fe(x), b = fe(y), want = mod(x) * mod(y) % p;
    F.feMul(a, a, b); assert.equal(value(a), want);
    const c = fe(x); F.feMul(c, fe(y), c); assert.equal(value(c), want);
    const d = fe(x); F.feSqr(d, d); assert.equal(value(d), mod(x) * mod(x) % p);
    const e = fe(x); F.feInvert(e, e); assert.equal(value(e), powmod(x, p - 2n));
    const f = fe(x); F.fePow22523(f, f); assert.equal(value(f), powmod(x, (p - 5n) / 8n));
  }), { numRuns: 30 });
});

test("feInvert (0 ↦ 0) and fePow22523 against modular exponentiation", () => {
  fc.assert(fc.property(raw, (x) => {
    const o = F.feNew();
    F.feInvert(o, fe(x)); assertCarried(o, "feInvert");
    assert.equal(value(o), powmod(x, p - 2n));
    if (mod(x) !== 0n) assert.equal(value(o) * mod(x) % p, 1n);
    F.fePow22523(o, fe(x)); assert.equal(value(o), powmod(x, (p - 5n) / 8n));
  }), { numRuns: 60 });
  const z = F.feNew(); F.feInvert(z, F.feNew()); assert.equal(value(z), 0n);
});

test("feCswap, feCmov, feCopy, feZero, feOne", () => {
  fc.assert(fc.property(carriedLimbs, carriedLimbs, (a0, b0) => {
    const a = a0.slice(), b = b0.slice();
    F.feCswap(a, b, 0); assert.deepEqual([a, b], [a0, b0]);
    F.feCswap(a, b, 1); assert.deepEqual([a, b], [b0, a0]);
    const o = a0.slice();
    F.feCmov(o, b0, 0); assert.deepEqual(o, a0);
    F.feCmov(o, b0, 1); assert.deepEqual(o, b0);
  }), { numRuns: 200 });
  const o = F.feNew(); F.feOne(o); assert.equal(value(o), 1n);
  F.feZero(o); assert.equal(value(o), 0n);
  const c = F.feNew(); F.feCopy(c, fe(12345n)); assert.equal(value(c), 12345n);
});

test("feIsZero, feIsNegative, feEqual work on values, not limbs", () => {
  fc.assert(fc.property(raw, raw, (x, y) => {
    assert.equal(F.feIsZero(fe(x)), mod(x) === 0n);
    assert.equal(F.feIsNegative(fe(x)), Number(mod(x) & 1n));
    assert.equal(F.feEqual(fe(x), fe(y)), mod(x) === mod(y));
  }), { numRuns: 300 });
  // p in non-canonical limbs (2^255 − 19 with every limb at its top) is zero; −1 is p − 1 (even).
  const pl = F.feNew(); pl.set(P_LIMBS);
  assert.ok(F.feIsZero(pl));
  assert.ok(F.feEqual(pl, F.feNew()));
  const m1 = F.feNew(); m1[0] = -1;
  assert.equal(F.feIsNegative(m1), 0);
  assert.ok(F.feEqual(m1, fe(p - 1n)));
});

/** p as unsigned limbs: 2^22 − 19 − … every limb full, limb 0 = 2^22 − 19. */
const P_LIMBS = Array.from({ length: 12 }, (_, i) => (i === 0 ? 2 ** 22 - 19 : 2 ** (P(i + 1) - P(i)) - 1));
