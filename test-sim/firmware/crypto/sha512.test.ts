/** SHA-512 (firmware/crypto/sha512.ts) against @noble/hashes: one-shot, streaming, misuse. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { sha512, Sha512 } from "../../../firmware/crypto/sha512.ts";
import { msgVectors } from "../../selftest/loaders/nist-sha.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
/** Lengths around the 128-byte block and the 111/112-byte padding boundary, and multi-block. */
const length = fc.oneof(fc.constantFrom(0, 1, 55, 56, 63, 64, 65, 111, 112, 113, 127, 128, 129, 239, 240, 255, 256, 257, 1000), fc.integer({ min: 0, max: 900 }));
const message = length.chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
/** A message and cut points that split it into chunks (empty chunks included). */
const chunked = message.chain((m) => fc.tuple(fc.constant(m), fc.array(fc.integer({ min: 0, max: m.length }), { maxLength: 12 })));

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

test("sha512 equals noble sha512 for lengths around every block boundary", () => {
  fc.assert(fc.property(message, (m) => {
    assert.equal(hex(sha512(m)), hex(nobleSha512(m)));
  }), { numRuns: 500 });
});

test("Sha512 fed in random chunks equals the one-shot digest", () => {
  fc.assert(fc.property(chunked, ([m, cuts]) => {
    const h = new Sha512();
    let p = 0;
    for (const c of [...cuts].sort((a, b) => a - b)) { h.update(m.subarray(p, c)); p = c; }
    h.update(m.subarray(p));
    assert.equal(hex(h.digest()), hex(nobleSha512(m)));
  }), { numRuns: 300 });
});

test("sha512 reads a subarray view at its offset, and leaves the input untouched", () => {
  fc.assert(fc.property(message, fc.nat(40), (m, off) => {
    const buf = new Uint8Array(off + m.length + 3);
    buf.set(m, off);
    const view = buf.subarray(off, off + m.length);
    assert.equal(hex(sha512(view)), hex(nobleSha512(m)));
    assert.equal(hex(view), hex(m));
  }), { numRuns: 100 });
});

test("NIST SHA512ShortMsg and LongMsg vectors", () => {
  for (const [m, md] of [...msgVectors("SHA512ShortMsg.rsp"), ...msgVectors("SHA512LongMsg.rsp")]) {
    assert.equal(hex(sha512(Buffer.from(m, "hex"))), md);
  }
});

test("a one-million-byte message (FIPS 180-2 C.3: a million 'a')", () => {
  const m = new Uint8Array(1_000_000).fill(0x61);
  assert.equal(hex(sha512(m)), "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
});

test("argument and state errors", () => {
  assert.equal(code(() => sha512("abc" as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => sha512([1, 2] as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => sha512(new Uint16Array(2) as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => new Sha512().update(undefined as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  const h = new Sha512().update(new Uint8Array(3));
  h.digest();
  assert.equal(code(() => h.update(new Uint8Array(1))), "CRYPTO_BAD_STATE");
  assert.equal(code(() => h.digest()), "CRYPTO_BAD_STATE");
});

test("digest wipes the internal state and buffer", () => {
  const h = new Sha512().update(new Uint8Array(70).fill(0xa5));
  h.digest();
  const inner = h as unknown as { s: Uint32Array; buf: Uint8Array };
  assert.ok(inner.s.every((x) => x === 0));
  assert.ok(inner.buf.every((x) => x === 0));
});
