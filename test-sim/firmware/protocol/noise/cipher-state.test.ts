import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { CipherState, NONCE_LIMIT, MAX_MESSAGE_LEN } from "../../../../firmware/protocol/noise/cipher-state.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

/** §12.3 nonce from a bigint counter, independent of the firmware's. */
function nonce(n: bigint): Uint8Array {
  const b = new Uint8Array(12);
  for (let i = 0; i < 8; i++) b[4 + i] = Number((n >> BigInt(8 * i)) & 255n);
  return b;
}

const keyOf = (cs: CipherState) => (cs as unknown as { k: Uint8Array | null }).k;

test("EncryptWithAd/DecryptWithAd equal ChaCha20-Poly1305 with nonce 0^32 ‖ le64(n), for any key, n, ad and plaintext", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.oneof(fc.nat(1000), fc.integer({ min: 2 ** 32 - 2, max: 2 ** 32 + 2 }), fc.integer({ min: NONCE_LIMIT - 3, max: NONCE_LIMIT - 1 })),
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 200 }),
      (key, n, ad, pt) => {
        const cs = new CipherState(), rx = new CipherState();
        cs.initializeKey(key);
        rx.initializeKey(key);
        cs.setNonce(n);
        rx.setNonce(n);
        const ct = cs.encryptWithAd(ad, pt);
        assert.deepEqual(ct, chacha20poly1305(key, nonce(BigInt(n)), ad).encrypt(pt));
        assert.deepEqual(rx.decryptWithAd(ad, ct), pt);
        assert.equal(cs.n, n + 1);
        assert.equal(rx.n, n + 1);
      },
    ),
    { numRuns: 200 },
  );
});

test("the nonce is checked before use: 2^53 − 1 is the last one, then PROTO_NONCE_EXHAUSTED on both directions", () => {
  const key = new Uint8Array(32).fill(7);
  const cs = new CipherState(), rx = new CipherState();
  cs.initializeKey(key);
  rx.initializeKey(key);
  cs.setNonce(NONCE_LIMIT - 1);
  rx.setNonce(NONCE_LIMIT - 1);
  const ct = cs.encryptWithAd(new Uint8Array(0), new Uint8Array([1, 2, 3]));
  assert.deepEqual(ct, chacha20poly1305(key, nonce(2n ** 53n - 1n)).encrypt(new Uint8Array([1, 2, 3])));
  assert.deepEqual(rx.decryptWithAd(new Uint8Array(0), ct), new Uint8Array([1, 2, 3]));
  assert.throws(() => cs.encryptWithAd(new Uint8Array(0), new Uint8Array(1)), code("PROTO_NONCE_EXHAUSTED"));
  assert.throws(() => rx.decryptWithAd(new Uint8Array(0), ct), code("PROTO_NONCE_EXHAUSTED"));
  assert.equal(cs.n, NONCE_LIMIT, "a refused nonce is not consumed");
  // Rekey does not reset the counter (§5.1, §11.3).
  cs.rekey();
  assert.equal(cs.n, NONCE_LIMIT);
  assert.throws(() => cs.encryptWithAd(new Uint8Array(0), new Uint8Array(1)), code("PROTO_NONCE_EXHAUSTED"));
  // The exhausted state is not dead: exhaustion is the caller's cue to end the session.
  assert.equal(cs.isDestroyed(), false);
});

test("SetNonce accepts integers 0 … 2^53 only", () => {
  const cs = new CipherState();
  for (const bad of [-1, 0.5, NONCE_LIMIT + 2, Number.NaN, Infinity, "1" as unknown as number]) {
    assert.throws(() => cs.setNonce(bad), code("PROTO_BAD_INPUT"), String(bad));
  }
  cs.setNonce(NONCE_LIMIT);
  assert.equal(cs.n, NONCE_LIMIT);
});

test("Rekey = first 32 bytes of ENCRYPT(k, 2^64 − 1, empty, 0^32); n unchanged; the old key is overwritten in place", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(1 << 20), (key, n) => {
      const cs = new CipherState();
      cs.initializeKey(key);
      cs.setNonce(n);
      const held = keyOf(cs)!;
      cs.rekey();
      const expected = chacha20poly1305(key, nonce(2n ** 64n - 1n)).encrypt(new Uint8Array(32)).subarray(0, 32);
      assert.deepEqual(keyOf(cs), expected);
      assert.equal(keyOf(cs), held, "same buffer: no copy of the old key is left behind");
      assert.equal(cs.n, n);
      const pt = new Uint8Array([9, 9]);
      assert.deepEqual(cs.encryptWithAd(new Uint8Array(0), pt), chacha20poly1305(expected, nonce(BigInt(n))).encrypt(pt));
    }),
    { numRuns: 50 },
  );
  assert.throws(() => new CipherState().rekey(), code("PROTO_BAD_STATE"));
});

test("a failed decryption wipes the key and kills the state; the nonce does not move", () => {
  const key = new Uint8Array(32).map((_, i) => i);
  const tx = new CipherState(), rx = new CipherState();
  tx.initializeKey(key);
  rx.initializeKey(key);
  const ad = new Uint8Array([1]);
  const good = tx.encryptWithAd(ad, new Uint8Array(20));
  for (let i = 0; i < good.length; i++) {
    const r = new CipherState();
    r.initializeKey(key);
    const held = keyOf(r)!;
    const bad = good.slice();
    bad[i] ^= 0x40;
    assert.throws(() => r.decryptWithAd(ad, bad), code("PROTO_AUTH"), "byte " + i);
    assert.equal(r.n, 0);
    assert.ok(held.every((b) => b === 0), "key wiped after a forgery at byte " + i);
    assert.equal(keyOf(r), null);
    assert.throws(() => r.decryptWithAd(ad, good), code("PROTO_BAD_STATE"));
    assert.throws(() => r.encryptWithAd(ad, good), code("PROTO_BAD_STATE"));
    assert.throws(() => r.initializeKey(key), code("PROTO_BAD_STATE"));
  }
  assert.throws(() => rx.decryptWithAd(new Uint8Array([2]), good), code("PROTO_AUTH"), "wrong ad");
  const r2 = new CipherState();
  r2.initializeKey(key);
  assert.throws(() => r2.decryptWithAd(ad, good.subarray(0, 15)), code("PROTO_BAD_LENGTH"), "shorter than a tag");
  assert.equal(r2.isDestroyed(), true);
});

test("without a key, EncryptWithAd and DecryptWithAd return copies of their input", () => {
  const cs = new CipherState();
  const pt = new Uint8Array([1, 2, 3]);
  const out = cs.encryptWithAd(new Uint8Array(0), pt);
  assert.deepEqual(out, pt);
  assert.notEqual(out, pt);
  assert.deepEqual(cs.decryptWithAd(new Uint8Array(0), pt), pt);
  assert.equal(cs.n, 0, "n only moves when there is a key");
  assert.equal(cs.hasKey(), false);
  cs.initializeKey(new Uint8Array(32));
  assert.equal(cs.hasKey(), true);
  cs.initializeKey(null);
  assert.equal(cs.hasKey(), false);
});

test("message length: 65535 bytes including the tag, and argument checks", () => {
  const cs = new CipherState();
  cs.initializeKey(new Uint8Array(32));
  assert.equal(cs.encryptWithAd(new Uint8Array(0), new Uint8Array(MAX_MESSAGE_LEN - 16)).length, MAX_MESSAGE_LEN);
  assert.throws(() => cs.encryptWithAd(new Uint8Array(0), new Uint8Array(MAX_MESSAGE_LEN - 15)), code("PROTO_BAD_LENGTH"));
  assert.throws(() => cs.decryptWithAd(new Uint8Array(0), new Uint8Array(MAX_MESSAGE_LEN + 1)), code("PROTO_BAD_LENGTH"));
  assert.throws(() => cs.encryptWithAd([] as unknown as Uint8Array, new Uint8Array(1)), code("CRYPTO_BAD_INPUT"));
  assert.throws(() => cs.initializeKey(new Uint8Array(31)), code("CRYPTO_BAD_INPUT"));
  const d = new CipherState();
  d.initializeKey(new Uint8Array(32).fill(1));
  const held = keyOf(d)!;
  d.destroy();
  assert.ok(held.every((b) => b === 0));
});
