/**
 * firmware/store/crc32.ts against the CRC-32 everyone agrees on: the check value of "123456789"
 * (0xCBF43926) and Node's zlib.crc32 over random lengths and offsets.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import zlib from "node:zlib";
import { crc32 } from "../../../firmware/store/crc32.ts";

test("crc32: the check value, the empty range, and a range inside a buffer", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789"), 0, 9), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(4), 2, 2), 0);
  const b = new TextEncoder().encode("xx123456789yy");
  assert.equal(crc32(b, 2, 11), 0xcbf43926);
});

test("crc32 equals zlib.crc32 over 2 000 random ranges", () => {
  for (let n = 0; n < 2000; n++) {
    const b = randomBytes(n % 300), s = n % 7, e = Math.max(s, b.length - (n % 5));
    assert.equal(crc32(new Uint8Array(b), s, e), zlib.crc32(b.subarray(s, e)), `length ${b.length}, range ${s}…${e}`);
  }
});
