/**
 * firmware/crypto/bytes.ts: `view` (the one bounds-checked subarray) and `utf8Decode`, also under
 * Espruino's two engine differences reproduced on Node (an unclamped subarray end, an 8-bit
 * String.fromCharCode).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { view, utf8Decode, utf8Encode } from "../../../firmware/crypto/bytes.ts";

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

test("view takes exactly [begin, end) when 0 <= begin <= end <= length, and shares memory", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(45), fc.nat(45), (b, x, y) => {
    const begin = Math.min(x, y), end = Math.max(x, y);
    if (end <= b.length) {
      const v = view(b, begin, end);
      assert.deepEqual([...v], [...b].slice(begin, end));
      if (v.length > 0) { v[0] ^= 1; assert.equal(b[begin], v[0]); }
    } else {
      assert.equal(code(() => view(b, begin, end)), "CRYPTO_BAD_INPUT");
    }
  }));
});

test("view refuses every bound outside the buffer with a clear message", () => {
  const b = new Uint8Array(4);
  assert.throws(() => view(b, 2, 100), /CRYPTO_BAD_INPUT: view \[2, 100\) is outside 4 elements/);
  for (const [s, e] of [[5, undefined], [-1, 2], [3, 1], [NaN, 2], [0, NaN]] as [number, number | undefined][]) {
    assert.equal(code(() => view(b, s, e)), "CRYPTO_BAD_INPUT", `view(b, ${s}, ${e})`);
  }
  assert.equal(view(b, 4).length, 0);
  assert.equal(view(new Uint32Array(6), 2, 5).length, 3, "word arrays too");
});

const fatal = new TextDecoder("utf-8", { fatal: true });

test("utf8Decode equals a fatal TextDecoder on valid and invalid input", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (s) => {
    const b = utf8Encode(s);
    assert.equal(utf8Decode(b), fatal.decode(b));
  }));
  fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }), (b) => {
    let want: string | undefined;
    try { want = fatal.decode(b); } catch { want = undefined; }
    if (want === undefined) assert.equal(code(() => utf8Decode(b)), "CRYPTO_BAD_INPUT");
    else assert.equal(utf8Decode(b), want);
  }), { numRuns: 2000 });
});

/** Runs `fn` with String.fromCharCode keeping only the low 8 bits of each argument, as Espruino does. */
function withEightBitFromCharCode<T>(fn: () => T): T {
  const real = String.fromCharCode;
  String.fromCharCode = (...codes: number[]) => real(...codes.map((c) => c & 0xff));
  try { return fn(); } finally { String.fromCharCode = real; }
}

test("utf8Decode does not depend on String.fromCharCode above 0xff", () => {
  const samples = ["€", "é", "a\u0000\u001f\"\\/z", "日本語", "😀 x", "\u07ff\u0800\uffff", "\u{10ffff}"];
  for (const s of samples) {
    assert.equal(withEightBitFromCharCode(() => utf8Decode(utf8Encode(s))), s, JSON.stringify(s));
  }
});
