/**
 * The JerryScript accelerator driver (hal/jerryscript/accel.ts) over a fake `firstlight_native`
 * whose functions have the binding's shapes (ports/jerryscript/binding/accel.c) and compute with
 * @noble: what each board field brings, that the offered members are the binding's own functions (no
 * JavaScript between the firmware and the C), the known-answer checks (a wrong answer refuses the
 * group), and the errors when a board asks for what the port lacks. The binding's C itself runs in
 * test-sim/ports/jerryscript/accel-binding.test.ts and in the port's end-to-end test, whose board
 * asks for everything.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { hkdf as nobleHkdf } from "@noble/hashes/hkdf.js";
import { jerryAccel } from "../../../hal/jerryscript/accel.ts";
import { useAccel } from "../../../firmware/crypto/accel.ts";
import { aeadOpen, aeadSeal } from "../../../firmware/crypto/aead.ts";
import { hkdfSha256 } from "../../../firmware/crypto/hkdf.ts";
import { hmacSha256 } from "../../../firmware/crypto/hmac.ts";
import { sha256 } from "../../../firmware/crypto/sha256.ts";
import { sha512 } from "../../../firmware/crypto/sha512.ts";
import { HmacDrbg } from "../../../firmware/entropy/drbg.ts";
import { elligator2 as tsElligator2 } from "../../../firmware/protocol/cpace/elligator2.ts";
import type { FirstlightNative } from "../../../hal/jerryscript/native.ts";
import type { BoardConfig } from "../../../hal/board-config.ts";
import { loadBoard } from "../../../build/boards.ts";

const board = loadBoard("nrf52840-jerry") as unknown as BoardConfig;

function drbgUpdate(K: Uint8Array, V: Uint8Array, data: Uint8Array): void {
  for (let r = 0; r < (data.length ? 2 : 1); r++) {
    K.set(nobleHmac(nobleSha256, K, Uint8Array.from([...V, r, ...data])));
    V.set(nobleHmac(nobleSha256, K, V));
  }
}

/** A binding of @noble functions in binding/accel.c's shapes; `wrong` names a function that answers wrongly. */
function fakeNative(opts: { wrong?: string; drop?: string[] } = {}) {
  const calls: string[] = [];
  const off = (name: string, b: Uint8Array) => {
    if (opts.wrong === name && b.length) b[0] ^= 1;
    return b;
  };
  const fns: Record<string, (...a: any[]) => unknown> = {
    x25519(out: Uint8Array, k: Uint8Array, u: Uint8Array) {
      out.set(off("x25519", nobleX25519.scalarMult(k, u)));
    },
    elligator2(out: Uint8Array, r: Uint8Array) {
      useAccel(null);
      try {
        out.set(off("elligator2", tsElligator2(r)));
      } finally {
        useAccel(current);
      }
    },
    aeadSeal: (key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad: Uint8Array) => off("aeadSeal", chacha20poly1305(key, nonce, aad).encrypt(pt)),
    aeadOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array) {
      if (opts.wrong === "aeadOpen") return sealed.slice(0, sealed.length - 16);
      try {
        return chacha20poly1305(key, nonce, aad).decrypt(sealed);
      } catch {
        return null;
      }
    },
    sha256: (m: Uint8Array) => off("sha256", nobleSha256(m)),
    sha512: (m: Uint8Array) => off("sha512", nobleSha512(m)),
    hmacSha256: (k: Uint8Array, m: Uint8Array) => off("hmacSha256", nobleHmac(nobleSha256, k, m)),
    hkdfSha256: (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, n: number) => off("hkdfSha256", nobleHkdf(nobleSha256, ikm, salt, info, n)),
    drbgUpdate(K: Uint8Array, V: Uint8Array, parts: Uint8Array[]) {
      drbgUpdate(K, V, Uint8Array.from(parts.flatMap((p) => [...p])));
      off("drbgUpdate", V);
    },
    drbgGenerate(K: Uint8Array, V: Uint8Array, n: number, add: Uint8Array) {
      if (add.length) drbgUpdate(K, V, add);
      const out = new Uint8Array(n);
      for (let o = 0; o < n; o += 32) {
        V.set(nobleHmac(nobleSha256, K, V));
        out.set(V.subarray(0, Math.min(32, n - o)), o);
      }
      drbgUpdate(K, V, add);
      return off("drbgGenerate", out);
    },
  };
  const nat: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(fns)) {
    if (opts.drop?.includes(name)) continue;
    nat[name] = (...a: unknown[]) => {
      calls.push(name);
      return f(...a);
    };
  }
  return { nat: nat as unknown as FirstlightNative, calls };
}
let current: ReturnType<typeof jerryAccel> = null;

test("nrf52840-jerry asks for the whole kernel; each group passes its known answers; the members are the binding's functions", () => {
  assert.deepEqual(board.accel, { x25519: "jerryscript-native", sha2: "jerryscript-native", aead: "jerryscript-native", kdf: "jerryscript-native" });
  const f = fakeNative();
  const a = jerryAccel(f.nat, board)!;
  assert.equal(a.name, "jerryscript-native");
  const n = f.nat as unknown as Record<string, unknown>;
  assert.equal(a.x25519, n.x25519);
  assert.equal(a.elligator2, n.elligator2);
  assert.equal(a.aead!.seal, n.aeadSeal);
  assert.equal(a.aead!.open, n.aeadOpen);
  assert.equal(a.hmacSha256, n.hmacSha256);
  assert.equal(a.hkdfSha256, n.hkdfSha256);
  assert.equal(a.drbg!.update, n.drbgUpdate);
  assert.equal(a.drbg!.generate, n.drbgGenerate);
  assert.equal(a.sha256, n.sha256);
  assert.equal(a.sha512, n.sha512);
  for (const name of ["x25519", "elligator2", "aeadSeal", "aeadOpen", "hmacSha256", "hkdfSha256", "drbgUpdate", "drbgGenerate", "sha256", "sha512"]) assert.ok(f.calls.includes(name), name + " was not checked");
});

test("the core's crypto through the driver: same bytes as the portable code, calls reach the binding", () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => 200 - i), nonce = Uint8Array.from({ length: 12 }, (_, i) => i * 3);
  const aad = new TextEncoder().encode("header"), pt = Uint8Array.from({ length: 300 }, (_, i) => i & 255);
  const seedNonce = new Uint8Array(16).fill(7);
  const portable = {
    sealed: aeadSeal(key, nonce, pt, aad), hmac: hmacSha256(key, pt), hkdf: hkdfSha256(pt, key, aad, 96),
    s256: sha256(pt), s512: sha512(pt), drbg: (() => { const d = new HmacDrbg(); d.instantiate(key, seedNonce, aad); return d.generate(100, pt); })(),
  };
  const f = fakeNative();
  current = jerryAccel(f.nat, board);
  useAccel(current);
  try {
    const n0 = f.calls.length;
    const sealed = aeadSeal(key, nonce, pt, aad);
    assert.deepEqual(sealed, portable.sealed);
    assert.deepEqual(aeadOpen(key, nonce, sealed, aad), pt);
    sealed[5] ^= 1;
    assert.equal(aeadOpen(key, nonce, sealed, aad), null);
    assert.deepEqual(hmacSha256(key, pt), portable.hmac);
    assert.deepEqual(hkdfSha256(pt, key, aad, 96), portable.hkdf);
    assert.deepEqual(sha256(pt), portable.s256);
    assert.deepEqual(sha512(pt), portable.s512);
    const d = new HmacDrbg();
    d.instantiate(key, seedNonce, aad);
    assert.deepEqual(d.generate(100, pt), portable.drbg);
    assert.deepEqual(new Set(f.calls.slice(n0)), new Set(["aeadSeal", "aeadOpen", "hmacSha256", "hkdfSha256", "sha256", "sha512", "drbgUpdate", "drbgGenerate"]));
    assert.throws(() => aeadSeal(key, new Uint8Array(8), pt), /nonce/); // checked before the native call
  } finally {
    useAccel(null);
    current = null;
  }
});

test("refusals: a port without a group's functions, a function that answers wrongly", () => {
  const groups: [string, string][] = [["x25519", "elligator2"], ["aead", "aeadOpen"], ["kdf", "drbgGenerate"], ["sha2", "sha512"]];
  for (const [field, fn] of groups) {
    assert.throws(() => jerryAccel(fakeNative({ drop: [fn] }).nat, board), new RegExp(`asks for accel\\.${field} jerryscript-native, but firstlight_native has no ${fn}`));
    assert.throws(() => jerryAccel(fakeNative({ wrong: fn }).nat, board), new RegExp(`fails accel\\.${field}'s known answer \\(.+\\): not offered`));
  }
  for (const fn of ["x25519", "aeadSeal", "hmacSha256", "hkdfSha256", "drbgUpdate", "sha256"])
    assert.throws(() => jerryAccel(fakeNative({ wrong: fn }).nat, board), /known answer/, fn);
  const noKdf = fakeNative({ drop: ["hmacSha256", "hkdfSha256", "drbgUpdate", "drbgGenerate", "sha256", "sha512"] }).nat;
  const onlyX = { ...board, accel: { x25519: "jerryscript-native", sha2: "portable", aead: "jerryscript-native" } } as BoardConfig;
  const a = jerryAccel(noKdf, onlyX)!;
  assert.equal(a.hmacSha256, undefined);
  assert.equal(a.sha256, undefined);
  assert.equal(typeof a.aead?.seal, "function");
  assert.equal(jerryAccel(noKdf, { ...board, accel: { x25519: "portable", sha2: "portable" } } as BoardConfig), null);
  assert.equal(jerryAccel(noKdf, { ...board, accel: undefined } as BoardConfig), null);
});
