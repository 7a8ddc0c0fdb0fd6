/**
 * commissioner/noise.ts against the cacophony and snow vectors for 25519_ChaChaPoly_SHA256: every
 * pattern we parse (fundamental, deferred, psk variants), both roles, every handshake and transport
 * message and the handshake hash.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CipherState, HandshakeState, generateKeyPair, handshakePattern, NONCE_LIMIT } from "../../commissioner/noise.ts";
import { fromHex, toHex } from "../../commissioner/bytes.ts";
import { readVectorJson, type NoiseVector } from "./vectors.ts";
import { ChaCha20Poly1305 } from "@stablelib/chacha20poly1305";

const key = (hex?: string) => (hex ? generateKeyPair(fromHex(hex)) : undefined);
const bytes = (hex?: string) => (hex ? fromHex(hex) : undefined);

/** Runs one vector; returns the number of messages checked. */
function runVector(v: NoiseVector): number {
  const init = new HandshakeState({
    protocolName: v.protocol_name, initiator: true, prologue: fromHex(v.init_prologue),
    s: key(v.init_static), e: key(v.init_ephemeral), rs: bytes(v.init_remote_static), psks: (v.init_psks ?? []).map(fromHex),
  });
  const resp = new HandshakeState({
    protocolName: v.protocol_name, initiator: false, prologue: fromHex(v.resp_prologue),
    s: key(v.resp_static), e: key(v.resp_ephemeral), rs: bytes(v.resp_remote_static), psks: (v.resp_psks ?? []).map(fromHex),
  });
  const oneWay = init.pattern.oneWay;
  let i = 0;
  for (; !init.finished; i++) {
    const m = v.messages[i];
    const [w, r] = i % 2 === 0 ? [init, resp] : [resp, init];
    const ct = w.writeMessage(fromHex(m.payload));
    assert.equal(toHex(ct), m.ciphertext, `${v.protocol_name} handshake message ${i} written`);
    assert.equal(toHex(r.readMessage(ct)), m.payload, `${v.protocol_name} handshake message ${i} read`);
  }
  assert.ok(resp.finished);
  const a = init.split();
  const b = resp.split();
  if (v.handshake_hash) {
    assert.equal(toHex(a.handshakeHash), v.handshake_hash, `${v.protocol_name} initiator handshake_hash`);
    assert.equal(toHex(b.handshakeHash), v.handshake_hash, `${v.protocol_name} responder handshake_hash`);
  }
  for (; i < v.messages.length; i++) {
    const m = v.messages[i];
    const fromInit = oneWay || i % 2 === 0;
    const [send, recv] = fromInit ? [a.send, b.receive] : [b.send, a.receive];
    const ct = send.encryptWithAd(new Uint8Array(0), fromHex(m.payload));
    assert.equal(toHex(ct), m.ciphertext, `${v.protocol_name} transport message ${i}`);
    assert.equal(toHex(recv.decryptWithAd(new Uint8Array(0), ct)), m.payload);
  }
  return v.messages.length;
}

for (const file of ["cacophony_25519_ChaChaPoly_SHA256.json", "snow_25519_ChaChaPoly_SHA256.json"]) {
  test(`noise: every ${file} vector, both roles`, () => {
    const vectors = readVectorJson<{ vectors: NoiseVector[] }>("noise", file).vectors;
    let n = 0;
    const names = new Set<string>();
    for (const v of vectors) {
      runVector(v);
      names.add(v.protocol_name.split("_")[1]);
      n++;
    }
    assert.equal(n, vectors.length);
    // The two patterns firstlight uses must be among them (snow has XXpsk3 only combined with psk0).
    assert.ok(names.has("KK"), "KK covered");
    if (file.startsWith("cacophony")) assert.ok(names.has("XXpsk3"), "XXpsk3 covered");
  });
}

test("noise: the noise-c Noise_* 25519/ChaChaPoly/SHA256 vectors (not the obsolete NoisePSK_*)", () => {
  const all = readVectorJson<{ vectors: any[] }>("noise", "noise-c-basic.txt").vectors;
  const ours = all.filter((v) => (v.protocol_name ?? v.name ?? "").startsWith("Noise_") && /_25519_ChaChaPoly_SHA256$/.test(v.protocol_name ?? v.name));
  assert.ok(ours.length > 0);
  for (const v of ours) runVector({ ...v, protocol_name: v.protocol_name ?? v.name });
});

test("noise: XXpsk3 message 1 carries a 16-byte tag even with an empty payload (psk makes e a MixKey)", () => {
  const hs = new HandshakeState({ protocolName: "Noise_XXpsk3_25519_ChaChaPoly_SHA256", initiator: true, s: generateKeyPair() });
  assert.equal(hs.writeMessage(new Uint8Array(0)).length, 48);
  const kk = new HandshakeState({ protocolName: "Noise_KK_25519_ChaChaPoly_SHA256", initiator: true, s: generateKeyPair(), rs: generateKeyPair().publicKey });
  assert.equal(kk.writeMessage(new Uint8Array(0)).length, 48);
});

test("noise: psk modifiers placed as §9.2 says", () => {
  assert.deepEqual(handshakePattern("XXpsk3").messages, [["e"], ["e", "ee", "s", "es"], ["s", "se", "psk"]]);
  assert.deepEqual(handshakePattern("NNpsk0+psk2").messages, [["psk", "e"], ["e", "ee", "psk"]]);
  assert.deepEqual(handshakePattern("KK").preInitiator, ["s"]);
  assert.throws(() => handshakePattern("XXpsk4"), /beyond/);
  assert.throws(() => handshakePattern("ZZ"), /unsupported/);
});

test("noise: a psk token with no PSK supplied, and a wrong-length PSK, are refused", () => {
  const i = new HandshakeState({ protocolName: "Noise_NNpsk0_25519_ChaChaPoly_SHA256", initiator: true });
  assert.throws(() => i.writeMessage(new Uint8Array(0)), (e: any) => e.code === "NOISE_MISSING_KEY");
  assert.throws(() => i.supplyPsk(new Uint8Array(31)), (e: any) => e.code === "NOISE_BAD_PSK");
});

test("noise: a flipped bit anywhere in a handshake message fails with PROTO_AUTH and leaves the nonce", () => {
  for (let bit = 0; bit < 48 * 8; bit += 37) {
    const i = new HandshakeState({ protocolName: "Noise_KK_25519_ChaChaPoly_SHA256", initiator: true, s: generateKeyPair(fromHex("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1")), rs: generateKeyPair(fromHex("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893")).publicKey });
    const r = new HandshakeState({ protocolName: "Noise_KK_25519_ChaChaPoly_SHA256", initiator: false, s: generateKeyPair(fromHex("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893")), rs: generateKeyPair(fromHex("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1")).publicKey });
    const m = i.writeMessage(new Uint8Array(0));
    m[bit >> 3] ^= 1 << (bit & 7);
    assert.throws(() => r.readMessage(m), (e: any) => e.code === "PROTO_AUTH" || e.code === "BAD_SHARE", `bit ${bit}`);
  }
});

test("noise: CipherState rekey keeps the nonce, matches REKEY() of §4.2, and decryption follows it", () => {
  const k = fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const a = new CipherState();
  const b = new CipherState();
  a.initializeKey(k);
  b.initializeKey(k);
  const c0 = a.encryptWithAd(new Uint8Array(0), fromHex("01"));
  b.decryptWithAd(new Uint8Array(0), c0);
  a.rekey();
  b.rekey();
  assert.equal(a.n, 1);
  const c1 = a.encryptWithAd(new Uint8Array(0), fromHex("02"));
  assert.equal(toHex(b.decryptWithAd(new Uint8Array(0), c1)), "02");
  // Independently (stablelib): k' = ENCRYPT(k, 2^64−1, ε, zeros)[0:32].
  const maxNonce = fromHex("00000000ffffffffffffffff");
  const expected = new ChaCha20Poly1305(k).seal(maxNonce, new Uint8Array(32)).subarray(0, 32);
  const ref = new CipherState();
  ref.initializeKey(expected);
  ref.setNonce(1);
  assert.equal(toHex(ref.encryptWithAd(new Uint8Array(0), fromHex("02"))), toHex(c1));
  // A receiver that did not rekey cannot read it.
  const stale = new CipherState();
  stale.initializeKey(k);
  stale.setNonce(1);
  assert.throws(() => stale.decryptWithAd(new Uint8Array(0), c1), (e: any) => e.code === "PROTO_AUTH");
  assert.equal(stale.n, 1, "a failed decryption does not advance n");
});

test("noise: a CipherState at nonce 2^53 refuses to encrypt or decrypt (PROTO_NONCE_EXHAUSTED)", () => {
  const c = new CipherState();
  c.initializeKey(new Uint8Array(32));
  c.setNonce(NONCE_LIMIT - 1);
  c.encryptWithAd(new Uint8Array(0), new Uint8Array(1));
  assert.throws(() => c.encryptWithAd(new Uint8Array(0), new Uint8Array(1)), (e: any) => e.code === "PROTO_NONCE_EXHAUSTED");
  assert.throws(() => c.decryptWithAd(new Uint8Array(0), new Uint8Array(17)), (e: any) => e.code === "PROTO_NONCE_EXHAUSTED");
});

test("noise: a wiped CipherState refuses every use (PROTO_BAD_STATE) instead of acting as one without a key", () => {
  // §5.1's "no key" passes plaintext through: a session's keys, once wiped (the session failed or
  // closed), must never fall back to that, or a send racing the failure goes out in clear.
  const c = new CipherState();
  c.initializeKey(new Uint8Array(32).fill(9));
  c.wipe();
  const secret = new TextEncoder().encode("decommission");
  assert.throws(() => c.encryptWithAd(new Uint8Array(0), secret), (e: any) => e.code === "PROTO_BAD_STATE");
  assert.throws(() => c.decryptWithAd(new Uint8Array(0), new Uint8Array(17)), (e: any) => e.code === "PROTO_BAD_STATE");
  assert.throws(() => c.rekey(), (e: any) => e.code === "PROTO_BAD_STATE");
  assert.equal(c.hasKey(), false);
  // A CipherState that never had a key still passes data through, as §5.1 says (handshake message 1).
  assert.deepEqual(new CipherState().encryptWithAd(new Uint8Array(0), secret), secret);
});
