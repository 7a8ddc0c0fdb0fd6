import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { SymmetricState, noiseHkdf } from "../../../../firmware/protocol/noise/symmetric-state.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;
const ascii = (s: string) => new TextEncoder().encode(s);
const inner = (ss: SymmetricState) => ss as unknown as { ck: Uint8Array; h: Uint8Array };

test("§4.3 HKDF equals RFC 5869 with salt = ck, empty info, 64 or 96 bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 100 }), fc.constantFrom(2, 3), (ck, ikm, n) => {
      const out = noiseHkdf(ck, ikm, n);
      const ref = hkdf(sha256, ikm, ck, new Uint8Array(0), 32 * n);
      assert.equal(out.length, n);
      for (let i = 0; i < n; i++) assert.deepEqual(out[i], ref.subarray(32 * i, 32 * i + 32));
    }),
    { numRuns: 100 },
  );
});

test("InitializeSymmetric: names of ≤ 32 bytes are zero-padded, longer ones hashed; ck = h", () => {
  const short = "Noise_NN_25519_ChaChaPoly_SHA256"; // exactly 32 bytes
  const ss = new SymmetricState(ascii(short));
  assert.deepEqual(ss.getHandshakeHash(), ascii(short));
  const long = "Noise_XXpsk3_25519_ChaChaPoly_SHA256";
  const sl = new SymmetricState(ascii(long));
  assert.deepEqual(sl.getHandshakeHash(), sha256(ascii(long)));
  assert.deepEqual(inner(sl).ck, sha256(ascii(long)));
  const tiny = new SymmetricState(ascii("Noise_N"));
  const padded = new Uint8Array(32);
  padded.set(ascii("Noise_N"));
  assert.deepEqual(tiny.getHandshakeHash(), padded);
});

test("MixHash, MixKey, MixKeyAndHash and EncryptAndHash follow §5.2", () => {
  const name = ascii("Noise_XXpsk3_25519_ChaChaPoly_SHA256");
  const ss = new SymmetricState(name);
  let h = sha256(name), ck = h.slice();
  ss.mixHash(ascii("prologue"));
  h = sha256(new Uint8Array([...h, ...ascii("prologue")]));
  assert.deepEqual(ss.getHandshakeHash(), h);
  // Without a key, EncryptAndHash is the identity plus MixHash.
  const ct0 = ss.encryptAndHash(ascii("hi"));
  assert.deepEqual(ct0, ascii("hi"));
  h = sha256(new Uint8Array([...h, ...ct0]));
  assert.equal(ss.cs.hasKey(), false);
  ss.mixKey(new Uint8Array(32).fill(5));
  const o = hkdf(sha256, new Uint8Array(32).fill(5), ck, new Uint8Array(0), 64);
  ck = o.slice(0, 32);
  assert.deepEqual(inner(ss).ck, ck);
  assert.equal(ss.cs.hasKey(), true);
  ss.mixKeyAndHash(new Uint8Array(32).fill(6));
  const o3 = hkdf(sha256, new Uint8Array(32).fill(6), ck, new Uint8Array(0), 96);
  assert.deepEqual(inner(ss).ck, o3.slice(0, 32));
  h = sha256(new Uint8Array([...h, ...o3.slice(32, 64)]));
  assert.deepEqual(ss.getHandshakeHash(), h);
});

test("Split wipes ck and the handshake key, keeps h, and ends the SymmetricState", () => {
  const ss = new SymmetricState(ascii("Noise_NN_25519_ChaChaPoly_SHA256"));
  ss.mixKey(new Uint8Array(32).fill(1));
  const ck = inner(ss).ck;
  const k = (ss.cs as unknown as { k: Uint8Array }).k;
  const h = ss.getHandshakeHash();
  const [c1, c2] = ss.split();
  assert.ok(ck.every((b) => b === 0), "ck wiped");
  assert.ok(k.every((b) => b === 0), "handshake key wiped");
  assert.deepEqual(ss.getHandshakeHash(), h);
  assert.ok(c1.hasKey() && c2.hasKey());
  assert.throws(() => ss.mixHash(new Uint8Array(1)), code("PROTO_BAD_STATE"));
  assert.throws(() => ss.split(), code("PROTO_BAD_STATE"));
});
