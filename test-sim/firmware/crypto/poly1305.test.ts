/** Poly1305 (firmware/crypto/poly1305.ts) against @noble/ciphers, with extreme limbs and streaming. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { poly1305 as noblePoly1305 } from "@noble/ciphers/_poly1305.js";
import { poly1305, Poly1305 } from "../../../firmware/crypto/poly1305.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const length = fc.oneof(fc.constantFrom(0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 300), fc.integer({ min: 0, max: 300 }));
/** Random bytes, or runs of 0xff / 0x00 that push every limb to its bound. */
const bytes = (n: number) => fc.oneof(
  { arbitrary: fc.uint8Array({ minLength: n, maxLength: n }), weight: 3 },
  fc.constantFrom(0xff, 0x00, 0xfe, 0x01).map((v) => new Uint8Array(n).fill(v)),
);

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

test("poly1305 equals noble for random and extreme keys and messages", () => {
  fc.assert(fc.property(bytes(32), length.chain((n) => bytes(n)), (key, msg) => {
    assert.equal(hex(poly1305(key, msg)), hex(noblePoly1305(msg, key)));
  }), { numRuns: 500 });
});

test("long all-0xff messages under the largest clamped r (carry bounds)", () => {
  const key = new Uint8Array(32).fill(0xff);
  for (const n of [1024, 4099, 65536]) {
    const msg = new Uint8Array(n).fill(0xff);
    assert.equal(hex(poly1305(key, msg)), hex(noblePoly1305(msg, key)), `length ${n}`);
  }
});

test("accumulators in [p, 2^130) are reduced (small r, all-0xff blocks)", () => {
  // With r = 1 and s = 0 two blocks of 0xff give h = 2^130 - 2 >= p: the final subtraction must run.
  const key = new Uint8Array(32);
  key[0] = 1;
  assert.equal(hex(poly1305(key, new Uint8Array(32).fill(0xff))), "03" + "00".repeat(15));
  for (const r0 of [1, 2, 3, 4, 5, 0xff]) for (const n of [16, 32, 33, 48, 64, 80]) {
    key[0] = r0;
    for (const s of [0x00, 0xff]) {
      key.fill(s, 16);
      const msg = new Uint8Array(n).fill(0xff);
      assert.equal(hex(poly1305(key, msg)), hex(noblePoly1305(msg, key)), `r0 ${r0} n ${n} s ${s}`);
    }
  }
});

test("streaming in any split equals one shot", () => {
  fc.assert(fc.property(bytes(32), length.chain((n) => bytes(n)), fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 8 }), (key, msg, cuts) => {
    const points = [...new Set(cuts.map((c) => c % (msg.length + 1)))].sort((a, b) => a - b);
    const p = new Poly1305(key);
    let at = 0;
    for (const c of [...points, msg.length]) { p.update(msg.subarray(at, c)); at = c; }
    assert.equal(hex(p.digest()), hex(noblePoly1305(msg, key)));
  }), { numRuns: 300 });
});

test("digest wipes r, s and the accumulator, and refuses reuse", () => {
  const p = new Poly1305(new Uint8Array(32).fill(0xab));
  p.update(new Uint8Array(40).fill(7));
  p.digest();
  const st = p as unknown as { h: Int32Array; r: Int32Array; pad: Uint8Array; buf: Uint8Array };
  for (const a of [st.h, st.r, st.pad, st.buf]) assert.ok(a.every((x) => x === 0));
  assert.equal(code(() => p.digest()), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => p.update(new Uint8Array(1))), "CRYPTO_BAD_INPUT");
});

test("argument errors are CRYPTO_BAD_INPUT", () => {
  for (const len of [0, 16, 31, 33])
    assert.equal(code(() => poly1305(new Uint8Array(len), new Uint8Array(1))), "CRYPTO_BAD_INPUT", `key ${len}`);
  assert.equal(code(() => poly1305(new Uint8Array(32), "msg" as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
  assert.equal(code(() => new Poly1305(new Uint8Array(32)).update(null as unknown as Uint8Array)), "CRYPTO_BAD_INPUT");
});
