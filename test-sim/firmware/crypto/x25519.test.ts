/** X25519 (firmware/crypto/x25519.ts) against @noble/curves, with non-canonical, high-bit and small u's. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { x25519 as noble } from "@noble/curves/ed25519.js";
import { x25519, x25519Base, x25519Shared, x25519Keypair } from "../../../firmware/crypto/x25519.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const p = 2n ** 255n - 19n;
const le = (x: bigint) => { const b = new Uint8Array(32); for (let i = 0; i < 32; i++) b[i] = Number((x >> BigInt(8 * i)) & 255n); return b; };
function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}
/** noble refuses an all-zero result; our x25519 returns it (x25519Shared refuses it). */
function reference(k: Uint8Array, u: Uint8Array): string {
  try { return hex(noble.scalarMult(k, u)); } catch { return "00".repeat(32); }
}

const scalar = fc.oneof(
  { arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }), weight: 4 },
  fc.constantFrom(new Uint8Array(32), new Uint8Array(32).fill(255)),
);
const u = fc.oneof(
  { arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }), weight: 4 },                         // high bit set half the time
  fc.bigInt({ min: p, max: 2n ** 255n - 1n }).map(le),                                                 // non-canonical u ≥ p
  fc.tuple(fc.bigInt({ min: p, max: 2n ** 255n - 1n }), fc.constant(0)).map(([x]) => { const b = le(x); b[31] |= 128; return b; }),
  fc.integer({ min: 0, max: 1000 }).map((x) => le(BigInt(x))),                                          // small u, including 0 and 1
  fc.constantFrom(le(p - 1n), le(p + 1n), le(2n ** 255n - 1n), le(9n)),
);

test("x25519 equals noble for random, non-canonical, high-bit and small u", () => {
  fc.assert(fc.property(scalar, u, (k, uu) => {
    assert.equal(hex(x25519(k, uu)), reference(k, uu));
  }), { numRuns: 300 });
});

test("x25519Base and x25519Keypair equal noble's public key; the secret key is the clamped seed", () => {
  fc.assert(fc.property(scalar, (seed) => {
    const seedCopy = seed.slice();
    assert.equal(hex(x25519Base(seed)), hex(noble.getPublicKey(seed)));
    const kp = x25519Keypair(seed);
    assert.equal(hex(kp.publicKey), hex(noble.getPublicKey(seed)));
    assert.equal(kp.secretKey[0] & 7, 0);
    assert.equal(kp.secretKey[31] & 0xc0, 0x40);
    assert.equal(hex(kp.secretKey.subarray(1, 31)), hex(seed.subarray(1, 31)));
    assert.equal(hex(seed), hex(seedCopy), "the caller's seed is not modified");
  }), { numRuns: 50 });
});

test("x25519Shared: both sides agree; all-zero results are refused with CRYPTO_ZERO_SHARED", () => {
  fc.assert(fc.property(scalar, scalar, (a, b) => {
    const A = x25519Keypair(a), B = x25519Keypair(b);
    assert.equal(hex(x25519Shared(A.secretKey, B.publicKey)), hex(x25519Shared(B.secretKey, A.publicKey)));
  }), { numRuns: 20 });
  const k = new Uint8Array(32).fill(7);
  // u = 0, u = 1 and u = p (≡ 0) are of low order: every scalar gives 0.
  for (const low of [le(0n), le(1n), le(p), le(p + 1n)]) {
    assert.equal(hex(x25519(k, low)), "00".repeat(32));
    assert.equal(code(() => x25519Shared(k, low)), "CRYPTO_ZERO_SHARED");
  }
});

test("argument errors are CRYPTO_BAD_INPUT", () => {
  const ok = new Uint8Array(32);
  for (const n of [0, 31, 33, 64]) {
    assert.equal(code(() => x25519(new Uint8Array(n), ok)), "CRYPTO_BAD_INPUT", `scalar ${n}`);
    assert.equal(code(() => x25519(ok, new Uint8Array(n))), "CRYPTO_BAD_INPUT", `u ${n}`);
    assert.equal(code(() => x25519Keypair(new Uint8Array(n))), "CRYPTO_BAD_INPUT", `seed ${n}`);
    assert.equal(code(() => x25519Base(new Uint8Array(n))), "CRYPTO_BAD_INPUT", `base ${n}`);
  }
  assert.equal(code(() => x25519([...ok] as unknown as Uint8Array, ok)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => x25519Shared(ok, "00" as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
});
