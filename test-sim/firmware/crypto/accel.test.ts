/**
 * The accelerator dispatch (firmware/crypto/accel.ts): with a board's one-shot hashes and X25519
 * installed, the core's one-shot, streaming, HMAC and HKDF results stay those of @noble, the native
 * functions are the ones called, a stream past ONE_SHOT_MAX moves to the portable compression
 * without loss, and useAccel(null) restores the portable code.
 */
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { hmac } from "@noble/hashes/hmac.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { useAccel, ACCEL, ONE_SHOT_MAX } from "../../../firmware/crypto/accel.ts";
import { sha256, Sha256 } from "../../../firmware/crypto/sha256.ts";
import { sha512, Sha512 } from "../../../firmware/crypto/sha512.ts";
import { hmacSha256, HmacSha512 } from "../../../firmware/crypto/hmac.ts";
import { hkdfSha256, hkdfSha512 } from "../../../firmware/crypto/hkdf.ts";
import { x25519, x25519Shared } from "../../../firmware/crypto/x25519.ts";
import { elligator2 } from "../../../firmware/protocol/cpace/elligator2.ts";
import type { Accel } from "../../../hal/accel.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

interface Counting extends Accel { calls: Record<string, number>; lengths: number[] }

/** An accelerator backed by @noble that counts its calls (the host's stand-in for a board's). */
function nobleAccel(): Counting {
  const a: Counting = {
    name: "noble-test",
    calls: { x25519: 0, sha256: 0, sha512: 0 },
    lengths: [],
    x25519(out, scalar, point) {
      a.calls.x25519++;
      out.set(nobleX25519.scalarMult(scalar, point));
    },
    sha256(d) {
      a.calls.sha256++;
      a.lengths.push(d.length);
      return nobleSha256(d);
    },
    sha512(d) {
      a.calls.sha512++;
      a.lengths.push(d.length);
      return nobleSha512(d);
    },
  };
  return a;
}

afterEach(() => useAccel(null));

test("one-shot and streaming SHA-256/512 go to the native one-shot and give noble's digests", () => {
  const acc = nobleAccel();
  useAccel(acc);
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), (parts) => {
      const all = Buffer.concat(parts);
      const h = new Sha256(), g = new Sha512();
      for (const p of parts) { h.update(p); g.update(p); }
      assert.equal(hex(h.digest()), hex(nobleSha256(all)));
      assert.equal(hex(g.digest()), hex(nobleSha512(all)));
      assert.equal(hex(sha256(all)), hex(nobleSha256(all)));
      assert.equal(hex(sha512(all)), hex(nobleSha512(all)));
    }),
    { numRuns: 60 },
  );
  assert.ok(acc.calls.sha256 >= 120 && acc.calls.sha512 >= 120);
  assert.ok(acc.lengths.every((n) => n <= ONE_SHOT_MAX));
});

test("a stream that grows past ONE_SHOT_MAX continues on the portable compression, without loss", () => {
  const acc = nobleAccel();
  useAccel(acc);
  const parts = [new Uint8Array(700).fill(1), new Uint8Array(300).fill(2), new Uint8Array(100).fill(3), new Uint8Array(5000).fill(4)];
  const h = new Sha256(), g = new Sha512();
  for (const p of parts) { h.update(p); g.update(p); }
  const all = Buffer.concat(parts);
  assert.equal(hex(h.digest()), hex(nobleSha256(all)));
  assert.equal(hex(g.digest()), hex(nobleSha512(all)));
  assert.equal(acc.calls.sha256 + acc.calls.sha512, 0, "the long stream must not reach the one-shot");
  // The pieces that had been kept were copies: changing the caller's buffer afterwards changes nothing.
  const buf = new Uint8Array(10).fill(7), s = new Sha256().update(buf);
  buf.fill(0);
  assert.equal(hex(s.digest()), hex(nobleSha256(new Uint8Array(10).fill(7))));
});

test("HMAC and HKDF on the native hashes equal noble's", () => {
  const acc = nobleAccel();
  useAccel(acc);
  const key = new Uint8Array(200).map((_, i) => i), msg = new Uint8Array(77).map((_, i) => 3 * i);
  assert.equal(hex(hmacSha256(key, msg)), hex(hmac(nobleSha256, key, msg)));
  assert.equal(hex(new HmacSha512(key.subarray(0, 40)).update(msg).update(msg).digest()), hex(hmac(nobleSha512, key.subarray(0, 40), Buffer.concat([msg, msg]))));
  assert.equal(hex(hkdfSha256(msg, key, msg.subarray(0, 9), 100)), hex(hkdf(nobleSha256, msg, key, msg.subarray(0, 9), 100)));
  assert.equal(hex(hkdfSha512(msg, key, msg.subarray(0, 9), 200)), hex(hkdf(nobleSha512, msg, key, msg.subarray(0, 9), 200)));
  assert.ok(acc.calls.sha256 > 0 && acc.calls.sha512 > 0);
});

test("X25519 goes to the native kernel, keeps its input checks and the all-zero refusal", () => {
  const acc = nobleAccel();
  useAccel(acc);
  const k = new Uint8Array(32).fill(5), u = new Uint8Array(32).fill(9);
  assert.equal(hex(x25519(k, u)), hex(nobleX25519.scalarMult(k, u)));
  assert.equal(acc.calls.x25519, 1);
  assert.throws(() => x25519(new Uint8Array(31), u), /scalar/);
  assert.equal(acc.calls.x25519, 1);
  // A lying kernel is what the core returns: the dispatch really is in the path.
  useAccel({ name: "zero", x25519(out) { out.fill(0); } });
  assert.throws(() => x25519Shared(k, u), (e: any) => e.code === "CRYPTO_ZERO_SHARED");
});

test("useAccel(null) restores the portable code", () => {
  useAccel(nobleAccel());
  useAccel(null);
  assert.equal(ACCEL.name, "portable");
  assert.equal(ACCEL.x25519, undefined);
  const k = new Uint8Array(32).fill(5), u = new Uint8Array(32).fill(9);
  assert.equal(hex(x25519(k, u)), hex(nobleX25519.scalarMult(k, u)));
  assert.equal(hex(sha256(k)), hex(nobleSha256(k)));
});

test("Elligator 2 goes to the native kernel with r's first 32 bytes; portable again after useAccel(null)", () => {
  const r = new Uint8Array(64).map((_, i) => i + 1);
  const portable = hex(elligator2(r));
  let seen = "";
  useAccel({ name: "e", elligator2(out, rr) { seen = hex(rr); out.fill(0xab); } });
  assert.equal(hex(elligator2(r)), "ab".repeat(32));
  assert.equal(seen, hex(r.subarray(0, 32)));
  useAccel(null);
  assert.equal(hex(elligator2(r)), portable);
});

test("AEAD, HMAC-SHA-256, HKDF-SHA-256 and the DRBG steps go to the board's functions; arguments are checked first", async () => {
  const { chacha20poly1305 } = await import("@noble/ciphers/chacha.js");
  const { aeadSeal, aeadOpen } = await import("../../../firmware/crypto/aead.ts");
  const { noiseHkdf } = await import("../../../firmware/protocol/noise/symmetric-state.ts");
  const { HmacDrbg } = await import("../../../firmware/entropy/drbg.ts");
  const key = Uint8Array.from({ length: 32 }, (_, i) => i * 5), nonce = new Uint8Array(12).fill(3), aad = Uint8Array.of(1, 2, 3), pt = new Uint8Array(70).fill(9);
  const portable = { sealed: aeadSeal(key, nonce, pt, aad), hkdf: hkdfSha256(pt, key, aad, 77), noise: noiseHkdf(key, pt, 3) };
  const d0 = new HmacDrbg();
  d0.instantiate(key, new Uint8Array(16).fill(7), aad);
  const calls: string[] = [];
  // A DRBG "kernel" that runs the portable steps on a private portable instance's algorithm.
  const hm = (k: Uint8Array, m: Uint8Array) => hmac(nobleSha256, k, m);
  const upd = (K: Uint8Array, V: Uint8Array, data: Uint8Array) => {
    for (let r = 0; r < (data.length ? 2 : 1); r++) {
      K.set(hm(K, Uint8Array.from([...V, r, ...data])));
      V.set(hm(K, V));
    }
  };
  useAccel({
    name: "noble-test",
    aead: {
      seal(k, n, p, a) { calls.push("seal"); return chacha20poly1305(k, n, a).encrypt(p); },
      open(k, n, s, a) { calls.push("open"); try { return chacha20poly1305(k, n, a).decrypt(s); } catch { return null; } },
    },
    hmacSha256(k, m) { calls.push("hmac"); return hm(k, m); },
    hkdfSha256(ikm, salt, info, n) { calls.push("hkdf"); return hkdf(nobleSha256, ikm, salt, info, n); },
    drbg: {
      update(K, V, parts) { calls.push("drbg.update"); upd(K, V, Uint8Array.from(parts.flatMap((p) => [...p]))); },
      generate(K, V, n, add) {
        calls.push("drbg.generate");
        if (add.length) upd(K, V, add);
        const out = new Uint8Array(n);
        for (let o = 0; o < n; o += 32) { V.set(hm(K, V)); out.set(V.subarray(0, Math.min(32, n - o)), o); }
        upd(K, V, add);
        return out;
      },
    },
  });
  assert.equal(hex(aeadSeal(key, nonce, pt, aad)), hex(portable.sealed));
  assert.equal(hex(aeadOpen(key, nonce, portable.sealed, aad)!), hex(pt));
  assert.equal(aeadOpen(key, nonce, Uint8Array.from(portable.sealed, (x, i) => (i === 0 ? x ^ 1 : x)), aad), null);
  assert.equal(hex(hmacSha256(key, pt)), hex(hmac(nobleSha256, key, pt)));
  assert.equal(hex(hkdfSha256(pt, key, aad, 77)), hex(portable.hkdf));
  assert.deepEqual(noiseHkdf(key, pt, 3).map(hex), portable.noise.map(hex));
  const d1 = new HmacDrbg();
  d1.instantiate(key, new Uint8Array(16).fill(7), aad);
  assert.equal(hex(d1.generate(100, aad)), hex((useAccel(null), d0.generate(100, aad))));
  assert.deepEqual(calls, ["seal", "open", "open", "hmac", "hkdf", "hkdf", "drbg.update", "drbg.generate"]);
  // Bad arguments are refused by the core before any native call.
  useAccel({ name: "never", aead: { seal: () => assert.fail("called"), open: () => assert.fail("called") }, hkdfSha256: () => assert.fail("called"), hmacSha256: () => assert.fail("called") });
  assert.throws(() => aeadSeal(key, new Uint8Array(8), pt), /nonce/);
  assert.throws(() => aeadOpen(key, nonce, new Uint8Array(10)), /shorter than the 16-byte tag/);
  assert.throws(() => hkdfSha256(pt, key, aad, 8161), /length must be an integer in 0\.\.8160/);
  assert.throws(() => hmacSha256("k" as unknown as Uint8Array, pt), /key/);
});
