/** ChaCha20-Poly1305 (firmware/crypto/aead.ts) against @noble/ciphers; tampering and argument rules. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { aeadSeal, aeadOpen } from "../../../firmware/crypto/aead.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const length = fc.oneof(fc.constantFrom(0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 300), fc.integer({ min: 0, max: 300 }));
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const anyBytes = length.chain((n) => bytes(n));
const aadBytes = fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 70 }).chain((n) => bytes(n)));

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

function flip(b: Uint8Array, bit: number): Uint8Array {
  const c = Uint8Array.from(b);
  c[(bit >> 3) % c.length] ^= 1 << (bit & 7);
  return c;
}

test("aeadSeal equals noble chacha20poly1305 and aeadOpen inverts it", () => {
  fc.assert(fc.property(bytes(32), bytes(12), anyBytes, aadBytes, (key, nonce, pt, aad) => {
    const sealed = aeadSeal(key, nonce, pt, aad);
    assert.equal(hex(sealed), hex(chacha20poly1305(key, nonce, aad ?? new Uint8Array(0)).encrypt(pt)));
    const opened = aeadOpen(key, nonce, sealed, aad);
    assert.ok(opened);
    assert.equal(hex(opened), hex(pt));
  }), { numRuns: 300 });
});

test("flipping any single bit of ct, tag, aad, nonce or key makes aeadOpen return null", () => {
  const field = fc.constantFrom("sealed", "aad", "nonce", "key");
  fc.assert(fc.property(bytes(32), bytes(12), anyBytes, fc.integer({ min: 0, max: 70 }).chain((n) => bytes(n)), field, fc.nat(), (key, nonce, pt, aad, f, bit) => {
    const sealed = aeadSeal(key, nonce, pt, aad);
    const t: Record<string, Uint8Array> = { sealed, aad, nonce, key };
    if (f === "aad" && aad.length === 0) t.aad = new Uint8Array([1 << (bit & 7)]);
    else t[f] = flip(t[f], bit % (8 * t[f].length));
    assert.equal(aeadOpen(t.key, t.nonce, t.sealed, t.aad), null);
  }), { numRuns: 500 });
});

test("a truncated or extended sealed message does not open", () => {
  const key = new Uint8Array(32).fill(1), nonce = new Uint8Array(12).fill(2);
  const sealed = aeadSeal(key, nonce, new Uint8Array(40).fill(3));
  assert.equal(aeadOpen(key, nonce, sealed.subarray(0, sealed.length - 1)), null);
  assert.equal(aeadOpen(key, nonce, sealed.subarray(1)), null);
  const longer = new Uint8Array(sealed.length + 1);
  longer.set(sealed);
  assert.equal(aeadOpen(key, nonce, longer), null);
});

test("argument errors are CRYPTO_BAD_INPUT", () => {
  const k = new Uint8Array(32), n = new Uint8Array(12), d = new Uint8Array(20);
  const sealed = aeadSeal(k, n, d);
  for (const len of [0, 8, 11, 13, 16, 24, 32]) {
    assert.equal(code(() => aeadSeal(k, new Uint8Array(len), d)), "CRYPTO_BAD_INPUT", `seal nonce ${len}`);
    assert.equal(code(() => aeadOpen(k, new Uint8Array(len), sealed)), "CRYPTO_BAD_INPUT", `open nonce ${len}`);
  }
  for (const len of [0, 16, 31, 33]) {
    assert.equal(code(() => aeadSeal(new Uint8Array(len), n, d)), "CRYPTO_BAD_INPUT", `seal key ${len}`);
    assert.equal(code(() => aeadOpen(new Uint8Array(len), n, sealed)), "CRYPTO_BAD_INPUT", `open key ${len}`);
  }
  for (const len of [0, 1, 15])
    assert.equal(code(() => aeadOpen(k, n, new Uint8Array(len))), "CRYPTO_BAD_INPUT", `sealed ${len}`);
  assert.equal(aeadOpen(k, n, new Uint8Array(16)), null, "16 bytes is an empty message with a wrong tag");
  assert.equal(code(() => aeadSeal(k, n, "text" as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => aeadSeal(k, n, d, [1] as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => aeadOpen(k, n, Array.from(sealed) as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
});

test("aeadOpen on a forged tag returns null and leaves its input alone", () => {
  const k = new Uint8Array(32).fill(9), n = new Uint8Array(12).fill(8);
  const sealed = aeadSeal(k, n, new Uint8Array(100).fill(7), new Uint8Array(5));
  const forged = flip(sealed, 8 * (sealed.length - 1));
  const before = hex(forged);
  assert.equal(aeadOpen(k, n, forged, new Uint8Array(5)), null);
  assert.equal(hex(forged), before);
});
