/** HMAC-SHA-256/512 (firmware/crypto/hmac.ts) against @noble/hashes: one-shot, streaming, key lengths, misuse. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { hmac } from "@noble/hashes/hmac.js";
import { hmacSha256, hmacSha512, HmacSha256, HmacSha512, Hmac } from "../../../firmware/crypto/hmac.ts";
import { Sha256 } from "../../../firmware/crypto/sha256.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytesOf = (lengths: fc.Arbitrary<number>) => lengths.chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
/** Keys shorter than, equal to and longer than both block sizes (64 and 128 bytes). */
const key = bytesOf(fc.oneof(fc.constantFrom(0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 200), fc.integer({ min: 0, max: 300 })));
const message = bytesOf(fc.oneof(fc.constantFrom(0, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129), fc.integer({ min: 0, max: 600 })));
const cuts = fc.array(fc.nat(), { maxLength: 8 });

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

function streamed(h: { update(d: Uint8Array): unknown; digest(): Uint8Array }, m: Uint8Array, c: number[]): Uint8Array {
  let p = 0;
  for (const x of c.map((v) => v % (m.length + 1)).sort((a, b) => a - b)) { h.update(m.subarray(p, x)); p = x; }
  h.update(m.subarray(p));
  return h.digest();
}

test("hmacSha256 and hmacSha512 equal noble hmac for every key length class", () => {
  fc.assert(fc.property(key, message, (k, m) => {
    assert.equal(hex(hmacSha256(k, m)), hex(hmac(nobleSha256, k, m)));
    assert.equal(hex(hmacSha512(k, m)), hex(hmac(nobleSha512, k, m)));
  }), { numRuns: 400 });
});

test("HmacSha256 / HmacSha512 fed in random chunks equal the one-shot MAC", () => {
  fc.assert(fc.property(key, message, cuts, (k, m, c) => {
    assert.equal(hex(streamed(new HmacSha256(k), m, c)), hex(hmac(nobleSha256, k, m)));
    assert.equal(hex(streamed(new HmacSha512(k), m, c)), hex(hmac(nobleSha512, k, m)));
  }), { numRuns: 200 });
});

test("Hmac over a HashConstructor equals the named classes", () => {
  const k = new Uint8Array(100).fill(7), m = new Uint8Array(10).fill(1);
  assert.equal(hex(new Hmac(Sha256, k).update(m).digest()), hex(hmacSha256(k, m)));
});

test("the caller's key is not modified (pads are built in a copy)", () => {
  fc.assert(fc.property(key, (k) => {
    const before = hex(k);
    hmacSha256(k, new Uint8Array(1));
    hmacSha512(k, new Uint8Array(1));
    assert.equal(hex(k), before);
  }), { numRuns: 50 });
});

test("argument and state errors", () => {
  const k = new Uint8Array(32), m = new Uint8Array(4);
  assert.equal(code(() => hmacSha256("key" as unknown as Uint8Array, m)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => hmacSha256(k, [1] as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => hmacSha512(undefined as unknown as Uint8Array, m)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => new HmacSha512(k).update(null as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  const h = new HmacSha256(k).update(m);
  h.digest();
  assert.equal(code(() => h.update(m)), "CRYPTO_BAD_STATE");
  assert.equal(code(() => h.digest()), "CRYPTO_BAD_STATE");
});
