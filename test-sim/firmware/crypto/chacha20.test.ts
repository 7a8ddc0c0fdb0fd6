/** ChaCha20 (firmware/crypto/chacha20.ts) against @noble/ciphers, plus the counter and argument rules. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { chacha20 as nobleChacha20 } from "@noble/ciphers/chacha.js";
import { chacha20Block, chacha20Xor } from "../../../firmware/crypto/chacha20.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
/** Lengths around the 64-byte block boundaries, and anything up to 300. */
const length = fc.oneof(fc.constantFrom(0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 193, 256, 300), fc.integer({ min: 0, max: 300 }));
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const counter = fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xfffffff0), fc.integer({ min: 0, max: 0xfffffff0 }));

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

test("chacha20Xor equals noble chacha20 for random key, nonce, counter and length", () => {
  fc.assert(fc.property(bytes(32), bytes(12), counter, length.chain((n) => bytes(n)), (key, nonce, ctr, data) => {
    assert.equal(hex(chacha20Xor(key, nonce, ctr, data)), hex(nobleChacha20(key, nonce, data, undefined, ctr)));
  }), { numRuns: 300 });
});

test("chacha20Block is one block of keystream", () => {
  fc.assert(fc.property(bytes(32), bytes(12), fc.integer({ min: 0, max: 0xffffffff }), (key, nonce, ctr) => {
    assert.equal(hex(chacha20Block(key, nonce, ctr)), hex(chacha20Xor(key, nonce, ctr, new Uint8Array(64))));
  }), { numRuns: 100 });
});

test("encryption is its own inverse and leaves the input untouched", () => {
  fc.assert(fc.property(bytes(32), bytes(12), length.chain((n) => bytes(n)), (key, nonce, pt) => {
    const before = hex(pt);
    const ct = chacha20Xor(key, nonce, 1, pt);
    assert.equal(hex(pt), before);
    assert.equal(hex(chacha20Xor(key, nonce, 1, ct)), before);
  }), { numRuns: 100 });
});

test("the block counter never passes 2^32 - 1", () => {
  const k = new Uint8Array(32), n = new Uint8Array(12);
  assert.equal(chacha20Xor(k, n, 0xffffffff, new Uint8Array(64)).length, 64);
  assert.equal(chacha20Xor(k, n, 0xffffffff, new Uint8Array(0)).length, 0);
  assert.equal(code(() => chacha20Xor(k, n, 0xffffffff, new Uint8Array(65))), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => chacha20Xor(k, n, 0xfffffffc, new Uint8Array(4 * 64 + 1))), "CRYPTO_BAD_INPUT");
  assert.equal(chacha20Xor(k, n, 0xfffffffc, new Uint8Array(4 * 64)).length, 256);
});

test("argument errors are CRYPTO_BAD_INPUT", () => {
  const k = new Uint8Array(32), n = new Uint8Array(12), d = new Uint8Array(4);
  for (const len of [0, 16, 31, 33, 64]) {
    assert.equal(code(() => chacha20Block(new Uint8Array(len), n, 0)), "CRYPTO_BAD_INPUT", `key ${len}`);
    assert.equal(code(() => chacha20Xor(new Uint8Array(len), n, 0, d)), "CRYPTO_BAD_INPUT", `key ${len}`);
  }
  for (const len of [0, 8, 11, 13, 16, 24]) {
    assert.equal(code(() => chacha20Block(k, new Uint8Array(len), 0)), "CRYPTO_BAD_INPUT", `nonce ${len}`);
    assert.equal(code(() => chacha20Xor(k, new Uint8Array(len), 0, d)), "CRYPTO_BAD_INPUT", `nonce ${len}`);
  }
  for (const c of [-1, 1.5, 2 ** 32, NaN, Infinity, "1" as unknown as number])
    assert.equal(code(() => chacha20Xor(k, n, c, d)), "CRYPTO_BAD_INPUT", `counter ${String(c)}`);
  assert.equal(code(() => chacha20Xor(k, n, 0, [1, 2] as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => chacha20Xor(Array.from(k) as unknown as Uint8Array, n, 0, d)), "CRYPTO_BAD_INPUT");
});
