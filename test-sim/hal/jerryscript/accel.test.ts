/**
 * The JerryScript accelerator glue (hal/jerryscript/accel.ts) with a fake `firstlight_native` that
 * checks the packed AEAD buffer the binding's C reads (key ‖ nonce ‖ aad ‖ text ‖ tag, the two
 * lengths) and computes with @noble/ciphers: packing, result copying, the buffer zeroed after each
 * call, the known-answer checks, and the errors when a board asks for what the port lacks. The
 * binding's C itself (ports/jerryscript/binding/accel.c over ports/cortex-m) runs in the port's
 * end-to-end test (test-sim/ports/jerryscript/e2e.test.ts), whose board asks for both.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { jerryAccel } from "../../../hal/jerryscript/accel.ts";
import { useAccel } from "../../../firmware/crypto/accel.ts";
import { aeadOpen, aeadSeal } from "../../../firmware/crypto/aead.ts";
import type { FirstlightNative } from "../../../hal/jerryscript/native.ts";
import type { BoardConfig } from "../../../hal/board-config.ts";
import { loadBoard } from "../../../build/boards.ts";

const board = loadBoard("nrf52840-jerry") as unknown as BoardConfig;

function fakeNative(opts: { forge?: boolean } = {}) {
  const bufs: Uint8Array[] = [];
  const calls: string[] = [];
  const split = (buf: Uint8Array, aadLen: number, len: number) => {
    assert.ok(buf instanceof Uint8Array && buf.length === 44 + aadLen + len + 16, `buffer ${buf.length} for ${aadLen}, ${len}`);
    bufs.push(buf);
    return { key: buf.slice(0, 32), nonce: buf.slice(32, 44), aad: buf.slice(44, 44 + aadLen), at: 44 + aadLen };
  };
  const nat = {
    x25519(out: Uint8Array, k: Uint8Array, u: Uint8Array) {
      calls.push("x25519");
      out.set(nobleX25519.scalarMult(k, u));
    },
    aeadSeal(buf: Uint8Array, aadLen: number, len: number) {
      calls.push("aeadSeal");
      const { key, nonce, aad, at } = split(buf, aadLen, len);
      buf.set(chacha20poly1305(key, nonce, aad).encrypt(buf.slice(at, at + len)), at);
    },
    aeadOpen(buf: Uint8Array, aadLen: number, len: number): boolean {
      calls.push("aeadOpen");
      const { key, nonce, aad, at } = split(buf, aadLen, len);
      if (opts.forge) return true;
      try {
        buf.set(chacha20poly1305(key, nonce, aad).decrypt(buf.slice(at, at + len + 16)), at);
        return true;
      } catch {
        buf.fill(0, at, at + len + 16);
        return false;
      }
    },
  };
  return { nat: nat as unknown as FirstlightNative, bufs, calls };
}

test("nrf52840-jerry asks for the native X25519 and AEAD; both pass their known answers", () => {
  assert.deepEqual(board.accel, { x25519: "jerryscript-native", sha2: "portable", aead: "jerryscript-native" });
  const f = fakeNative();
  const a = jerryAccel(f.nat, board)!;
  assert.equal(a.name, "jerryscript-native");
  assert.equal(typeof a.x25519, "function");
  assert.equal(typeof a.aead?.seal, "function");
  assert.deepEqual(f.calls, ["x25519", "aeadSeal", "aeadOpen", "aeadOpen"]);
});

test("the core's aeadSeal/aeadOpen through the binding: same bytes as portable, forgery null, buffers zeroed", () => {
  const f = fakeNative();
  const a = jerryAccel(f.nat, board)!;
  const key = Uint8Array.from({ length: 32 }, (_, i) => 200 - i), nonce = Uint8Array.from({ length: 12 }, (_, i) => i * 3);
  const aad = new TextEncoder().encode("header"), pt = Uint8Array.from({ length: 300 }, (_, i) => i & 255);
  const portable = aeadSeal(key, nonce, pt, aad);
  useAccel(a);
  try {
    const n0 = f.calls.length;
    const sealed = aeadSeal(key, nonce, pt, aad);
    assert.deepEqual(sealed, portable);
    assert.deepEqual(aeadOpen(key, nonce, sealed, aad), pt);
    sealed[5] ^= 1;
    assert.equal(aeadOpen(key, nonce, sealed, aad), null);
    assert.deepEqual(aeadSeal(key, nonce, new Uint8Array(0)), aeadSealPortable(key, nonce));
    assert.deepEqual(f.calls.slice(n0), ["aeadSeal", "aeadOpen", "aeadOpen", "aeadSeal"]);
    for (const b of f.bufs) assert.ok(b.every((x) => x === 0), "a buffer holding key and text was left");
    assert.throws(() => aeadSeal(key, new Uint8Array(8), pt), /nonce/); // checked before the native call
  } finally {
    useAccel(null);
  }
});

function aeadSealPortable(key: Uint8Array, nonce: Uint8Array): Uint8Array {
  return chacha20poly1305(key, nonce).encrypt(new Uint8Array(0));
}

test("refusals: a port without the AEAD, a binding that accepts a forgery", () => {
  const f = fakeNative();
  const noAead = { x25519: (f.nat as any).x25519 } as unknown as FirstlightNative;
  assert.throws(() => jerryAccel(noAead, board), /asks for accel\.aead jerryscript-native, but firstlight_native has no aeadSeal\/aeadOpen/);
  assert.throws(() => jerryAccel(fakeNative({ forge: true }).nat, board), /fail the ChaCha20-Poly1305 known answer: not offered/);
  const onlyX = { ...board, accel: { x25519: "jerryscript-native", sha2: "portable" } } as BoardConfig;
  const a = jerryAccel(noAead, onlyX)!;
  assert.equal(a.aead, undefined);
  assert.equal(jerryAccel(noAead, { ...board, accel: { x25519: "portable", sha2: "portable" } } as BoardConfig), null);
});
