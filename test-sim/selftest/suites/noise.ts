/**
 * Noise (firstlight.protocol.noise): every non-deferred 25519_ChaChaPoly_SHA256 vector of
 * cacophony, snow and noise-c, run as both parties: each handshake message byte for byte, each
 * payload, the handshake hash on both sides, every transport message. Then CipherState at the
 * highest nonces, Rekey, nonce exhaustion, and the errors of a forged or malformed message.
 */
import type { Check } from "../runner";
import { view } from "../../../firmware/crypto/bytes";

interface Vector {
  name: string; src: string; ip: string; rp: string;
  is?: string; ie?: string; irs?: string; ipsk?: string[];
  rs?: string; re?: string; rrs?: string; rpsk?: string[];
  hh?: string; m: string[][];
}
interface Data {
  vectors: Vector[];
  cipher: { key: string; pt: string; ad: string; ctTop: string; ct2p32: string; ctRekeyed5: string };
}

function opt(c: any, h: string | undefined): Uint8Array | undefined {
  return h === undefined ? undefined : c.fromHex(h);
}

function side(N: any, c: any, v: Vector, initiator: boolean): any {
  var eph = initiator ? v.ie : v.re, list = (initiator ? v.ipsk : v.rpsk) || [], psks = [];
  for (var i = 0; i < list.length; i++) psks.push(c.fromHex(list[i]));
  return new N.HandshakeState({
    protocolName: v.name,
    initiator: initiator,
    prologue: c.fromHex(initiator ? v.ip : v.rp),
    s: opt(c, initiator ? v.is : v.rs),
    rs: opt(c, initiator ? v.irs : v.rrs),
    psks: psks,
    random: function () { return c.fromHex(eph as string); },
  });
}

function runVector(N: any, c: any, v: Vector, t: Check): void {
  var label = v.src + " " + v.name, I = side(N, c, v, true), R = side(N, c, v, false), i = 0;
  for (; i < v.m.length && I.isComplete() === false; i++) {
    var w = (i & 1) === 0 ? I : R, r = (i & 1) === 0 ? R : I;
    var msg = w.writeMessage(c.fromHex(v.m[i][0]));
    t.eqHex(msg, v.m[i][1], label + " handshake message " + i);
    t.eqHex(r.readMessage(msg), v.m[i][0], label + " handshake payload " + i);
  }
  t.ok(I.isComplete() === true && R.isComplete() === true, label + " handshake complete on both sides");
  if (v.hh !== undefined && v.hh !== "") {
    t.eqHex(I.getHandshakeHash(), v.hh, label + " initiator handshake hash");
    t.eqHex(R.getHandshakeHash(), v.hh, label + " responder handshake hash");
  } else t.ok(c.ctEqual(I.getHandshakeHash(), R.getHandshakeHash()), label + " handshake hashes agree");
  var a = I.split(), b = R.split(), oneWay = a.recv === null, empty = new Uint8Array(0);
  t.ok(oneWay === (b.send === null), label + " one-way on both sides or neither");
  for (; i < v.m.length; i++) {
    // §7.4: one-way patterns only send initiator → responder; otherwise messages alternate.
    var fromInit = oneWay || (i & 1) === 0;
    var snd = fromInit ? a.send : b.send, rcv = fromInit ? b.recv : a.recv;
    var ct = snd.encryptWithAd(empty, c.fromHex(v.m[i][0]));
    t.eqHex(ct, v.m[i][1], label + " transport message " + i);
    t.eqHex(rcv.decryptWithAd(empty, ct), v.m[i][0], label + " transport payload " + i);
  }
}

function cipherState(N: any, c: any, d: Data["cipher"], t: Check): void {
  var key = c.fromHex(d.key), pt = c.fromHex(d.pt), ad = c.fromHex(d.ad);
  var cs = new N.CipherState(), rx = new N.CipherState();
  cs.initializeKey(key);
  rx.initializeKey(key);
  cs.setNonce(4294967296);
  rx.setNonce(4294967296);
  var ct = cs.encryptWithAd(ad, pt);
  t.eqHex(ct, d.ct2p32, "nonce 2^32: 4 zero bytes and a little-endian 64-bit counter");
  t.eqHex(rx.decryptWithAd(ad, ct), d.pt, "decrypt at nonce 2^32");
  t.ok(cs.n === 4294967297, "nonce incremented past 2^32");
  cs.setNonce(N.NONCE_LIMIT - 1);
  t.eqHex(cs.encryptWithAd(ad, pt), d.ctTop, "nonce 2^53 - 1, the last usable one");
  t.throwsCode(function () { cs.encryptWithAd(ad, pt); }, "PROTO_NONCE_EXHAUSTED", "nonce 2^53 is refused");
  t.ok(cs.n === N.NONCE_LIMIT, "a refused nonce is not consumed");
  t.throwsCode(function () { cs.rekey(); cs.encryptWithAd(ad, pt); }, "PROTO_NONCE_EXHAUSTED", "Rekey does not reset the nonce");
  t.throwsCode(function () { cs.setNonce(N.NONCE_LIMIT + 2); }, "PROTO_BAD_INPUT", "SetNonce beyond 2^53");

  var k2 = new N.CipherState();
  k2.initializeKey(key);
  k2.setNonce(5);
  k2.rekey();
  t.ok(k2.n === 5, "Rekey keeps n");
  t.eqHex(k2.encryptWithAd(ad, pt), d.ctRekeyed5, "Rekey = first 32 bytes of ENCRYPT(k, 2^64 - 1, empty, zeros)");

  var s = new N.CipherState(), r = new N.CipherState();
  s.initializeKey(key);
  r.initializeKey(key);
  var good = s.encryptWithAd(ad, pt), bad: Uint8Array = c.copyBytes(good);
  bad[3] ^= 1;
  t.throwsCode(function () { r.decryptWithAd(ad, bad); }, "PROTO_AUTH", "forged transport message");
  t.throwsCode(function () { r.decryptWithAd(ad, good); }, "PROTO_BAD_STATE", "cipher state unusable after a failed decryption");
  var none = new N.CipherState();
  t.eqHex(none.encryptWithAd(ad, pt), d.pt, "no key: EncryptWithAd returns the plaintext");
  t.ok(none.hasKey() === false, "HasKey false before InitializeKey");
}

function handshakeErrors(N: any, c: any, t: Check): void {
  var keys = [c.sha256(c.utf8Encode("s-i")), c.sha256(c.utf8Encode("s-r")), c.sha256(c.utf8Encode("e-i")), c.sha256(c.utf8Encode("e-r"))];
  var psk = c.sha256(c.utf8Encode("psk"));
  function pair(pskR: Uint8Array): any[] {
    var name = "Noise_XXpsk3_25519_ChaChaPoly_SHA256";
    return [
      new N.HandshakeState({ protocolName: name, initiator: true, s: keys[0], psks: [psk], random: function () { return c.copyBytes(keys[2]); } }),
      new N.HandshakeState({ protocolName: name, initiator: false, s: keys[1], psks: [pskR], random: function () { return c.copyBytes(keys[3]); } }),
    ];
  }
  var p = pair(psk), m1 = p[0].writeMessage(), m2: Uint8Array;
  p[1].readMessage(m1);
  m2 = p[1].writeMessage();
  var cut = view(m2, 0, 40);
  t.throwsCode(function () { p[0].readMessage(cut); }, "PROTO_BAD_LENGTH", "truncated message 2");
  t.throwsCode(function () { p[0].writeMessage(); }, "PROTO_BAD_STATE", "handshake dead after an error");

  p = pair(psk);
  p[1].readMessage(p[0].writeMessage());
  m2 = p[1].writeMessage();
  m2[50] ^= 0x80;
  t.throwsCode(function () { p[0].readMessage(m2); }, "PROTO_AUTH", "forged static key in message 2");

  p = pair(psk);
  p[1].readMessage(p[0].writeMessage());
  m2 = p[1].writeMessage();
  for (var i = 0; i < 32; i++) m2[i] = 0;
  t.throwsCode(function () { p[0].readMessage(m2); }, "PROTO_BAD_KEY", "all-zero ephemeral: DH output rejected");

  p = pair(c.sha256(c.utf8Encode("wrong code")));
  p[1].readMessage(p[0].writeMessage());
  p[0].readMessage(p[1].writeMessage());
  var m3 = p[0].writeMessage();
  t.throwsCode(function () { p[1].readMessage(m3); }, "PROTO_AUTH", "XXpsk3 with a different PSK fails at message 3");

  p = pair(psk);
  t.throwsCode(function () { p[0].readMessage(new Uint8Array(32)); }, "PROTO_BAD_STATE", "initiator reads before writing");
  t.throwsCode(function () { new N.HandshakeState({ protocolName: "Noise_XX_448_ChaChaPoly_SHA256", initiator: true }); }, "PROTO_BAD_PATTERN", "other DH");
  t.throwsCode(function () { new N.HandshakeState({ protocolName: "Noise_XXpsk4_25519_ChaChaPoly_SHA256", initiator: true }); }, "PROTO_BAD_PATTERN", "psk4 on a 3-message pattern");
  t.throwsCode(function () { new N.HandshakeState({ protocolName: "Noise_KK_25519_ChaChaPoly_SHA256", initiator: true, s: keys[0] }); }, "PROTO_MISSING_KEY", "KK without rs");
}

export function run(fl: any, data: Data, t: Check): void {
  var N = fl.protocol.noise, c = fl.crypto;
  for (var i = 0; i < data.vectors.length; i++) {
    var v = data.vectors[i];
    try {
      runVector(N, c, v, t);
    } catch (e) {
      t.ok(false, v.src + " " + v.name + " threw " + String(e));
    }
  }
  if (!t.first) return; // one-off checks: on the first piece only
  cipherState(N, c, data.cipher, t);
  handshakeErrors(N, c, t);
}
