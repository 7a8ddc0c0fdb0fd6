/** HKDF-SHA-256/512 (firmware/crypto/hkdf.ts) against @noble/hashes: extract, expand, one call, bounds. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { hkdf, extract, expand } from "@noble/hashes/hkdf.js";
import {
  hkdfSha256, hkdfSha256Extract, hkdfSha256Expand, hkdfSha512, hkdfSha512Extract, hkdfSha512Expand,
} from "../../../firmware/crypto/hkdf.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytesOf = (lengths: fc.Arbitrary<number>) => lengths.chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
const ikm = bytesOf(fc.oneof(fc.constantFrom(0, 16, 32, 64, 65, 128, 129), fc.integer({ min: 0, max: 200 })));
const salt = bytesOf(fc.oneof(fc.constantFrom(0, 32, 64, 128, 129), fc.integer({ min: 0, max: 200 })));
const info = bytesOf(fc.integer({ min: 0, max: 80 }));
/** Output lengths around multiples of both hash lengths, and the maxima. */
const len256 = fc.oneof(fc.constantFrom(0, 1, 31, 32, 33, 64, 65, 255 * 32), fc.integer({ min: 0, max: 1000 }));
const len512 = fc.oneof(fc.constantFrom(0, 1, 63, 64, 65, 128, 129, 255 * 64), fc.integer({ min: 0, max: 1000 }));

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

test("hkdfSha256 and its Extract/Expand halves equal noble", () => {
  fc.assert(fc.property(ikm, salt, info, len256, (k, s, i, l) => {
    const prk = hkdfSha256Extract(s, k);
    assert.equal(hex(prk), hex(extract(nobleSha256, k, s)));
    assert.equal(hex(hkdfSha256Expand(prk, i, l)), hex(expand(nobleSha256, prk, i, l)));
    assert.equal(hex(hkdfSha256(k, s, i, l)), hex(hkdf(nobleSha256, k, s, i, l)));
  }), { numRuns: 200 });
});

test("hkdfSha512 and its Extract/Expand halves equal noble", () => {
  fc.assert(fc.property(ikm, salt, info, len512, (k, s, i, l) => {
    const prk = hkdfSha512Extract(s, k);
    assert.equal(hex(prk), hex(extract(nobleSha512, k, s)));
    assert.equal(hex(hkdfSha512Expand(prk, i, l)), hex(expand(nobleSha512, prk, i, l)));
    assert.equal(hex(hkdfSha512(k, s, i, l)), hex(hkdf(nobleSha512, k, s, i, l)));
  }), { numRuns: 200 });
});

test("an empty salt is HashLen zero bytes (RFC 5869 §2.2)", () => {
  const k = new Uint8Array(22).fill(0x0b), e = new Uint8Array(0);
  assert.equal(hex(hkdfSha256Extract(e, k)), hex(hkdfSha256Extract(new Uint8Array(32), k)));
  assert.equal(hex(hkdfSha512Extract(e, k)), hex(hkdfSha512Extract(new Uint8Array(64), k)));
});

test("output lengths outside 0..255·HashLen, or not integers, are CRYPTO_BAD_INPUT", () => {
  const p32 = new Uint8Array(32), p64 = new Uint8Array(64), e = new Uint8Array(0);
  for (const l of [-1, 8161, 1e9, 1.5, NaN, Infinity, "32", null]) {
    assert.equal(code(() => hkdfSha256Expand(p32, e, l as number)), "CRYPTO_BAD_INPUT", String(l));
    assert.equal(code(() => hkdfSha256(p32, e, e, l as number)), "CRYPTO_BAD_INPUT", String(l));
  }
  for (const l of [-1, 16321, 2.5]) {
    assert.equal(code(() => hkdfSha512Expand(p64, e, l)), "CRYPTO_BAD_INPUT", String(l));
    assert.equal(code(() => hkdfSha512(p64, e, e, l)), "CRYPTO_BAD_INPUT", String(l));
  }
  assert.equal(hkdfSha256Expand(p32, e, 8160).length, 8160);
  assert.equal(hkdfSha512Expand(p64, e, 16320).length, 16320);
});

test("non-Uint8Array arguments and a PRK shorter than HashLen are CRYPTO_BAD_INPUT", () => {
  const b = new Uint8Array(64), e = new Uint8Array(0);
  const bad = [undefined, null, "abc", [1, 2], new Uint16Array(4)] as unknown as Uint8Array[];
  for (const x of bad) {
    assert.equal(code(() => hkdfSha256Extract(x, b)), "CRYPTO_BAD_INPUT");
    assert.equal(code(() => hkdfSha256Extract(b, x)), "CRYPTO_BAD_INPUT");
    assert.equal(code(() => hkdfSha512Expand(x, e, 16)), "CRYPTO_BAD_INPUT");
    assert.equal(code(() => hkdfSha512Expand(b, x, 16)), "CRYPTO_BAD_INPUT");
    assert.equal(code(() => hkdfSha256(b, e, x, 16)), "CRYPTO_BAD_INPUT");
  }
  assert.equal(code(() => hkdfSha256Expand(new Uint8Array(31), e, 16)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => hkdfSha512Expand(new Uint8Array(63), e, 16)), "CRYPTO_BAD_INPUT");
});
