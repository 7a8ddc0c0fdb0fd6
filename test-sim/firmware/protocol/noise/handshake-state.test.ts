import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { x25519 } from "@noble/curves/ed25519.js";
import { HandshakeState, HandshakeOptions } from "../../../../firmware/protocol/noise/handshake-state.ts";
import { fundamentalPatternNames } from "../../../../firmware/protocol/noise/patterns.ts";
import { noiseVectors, LeanVector } from "../../../selftest/loaders/noise.ts";
import { cpaceVectors } from "../../../selftest/loaders/cpace.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;
const protoCode = (e: unknown) => /^PROTO_/.test(String((e as { code?: string }).code));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const isZero = (b: Uint8Array) => b.every((x) => x === 0);
const full = (p: string) => `Noise_${p}_25519_ChaChaPoly_SHA256`;
const EMPTY = new Uint8Array(0);

interface Inside {
  e: { priv: Uint8Array } | null;
  s: { priv: Uint8Array } | null;
  psks: Uint8Array[];
  ss: { ck: Uint8Array; cs: { k: Uint8Array | null } };
}
const inside = (hs: HandshakeState) => hs as unknown as Inside;

function fromVector(v: LeanVector, initiator: boolean): HandshakeState {
  const eph = initiator ? v.ie : v.re;
  const o: HandshakeOptions = {
    protocolName: v.name,
    initiator,
    prologue: unhex(initiator ? v.ip : v.rp),
    psks: ((initiator ? v.ipsk : v.rpsk) ?? []).map(unhex),
    random: (n) => {
      assert.equal(n, 32);
      return unhex(eph!);
    },
  };
  const s = initiator ? v.is : v.rs, rs = initiator ? v.irs : v.rrs;
  if (s) o.s = unhex(s);
  if (rs) o.rs = unhex(rs);
  return new HandshakeState(o);
}

test("every non-deferred cacophony, snow and noise-c vector, both parties, byte for byte", () => {
  const vs = noiseVectors();
  assert.equal(vs.length, 79);
  for (const v of vs) {
    const label = `${v.src} ${v.name}`;
    const I = fromVector(v, true), R = fromVector(v, false);
    let i = 0;
    for (; i < v.m.length && !I.isComplete(); i++) {
      const [w, r] = i % 2 === 0 ? [I, R] : [R, I];
      const msg = w.writeMessage(unhex(v.m[i][0]));
      assert.equal(hex(msg), v.m[i][1], `${label} message ${i}`);
      assert.equal(hex(r.readMessage(msg)), v.m[i][0], `${label} payload ${i}`);
    }
    assert.ok(R.isComplete(), label);
    if (v.hh) assert.equal(hex(I.getHandshakeHash()), v.hh, label);
    assert.deepEqual(I.getHandshakeHash(), R.getHandshakeHash(), label);
    const a = I.split(), b = R.split();
    for (; i < v.m.length; i++) {
      const fromInit = a.recv === null || i % 2 === 0;
      const [s, r] = fromInit ? [a.send!, b.recv!] : [b.send!, a.recv!];
      const ct = s.encryptWithAd(EMPTY, unhex(v.m[i][0]));
      assert.equal(hex(ct), v.m[i][1], `${label} transport ${i}`);
      assert.equal(hex(r.decryptWithAd(EMPTY, ct)), v.m[i][0]);
    }
  }
});

/** A fresh pair for `pattern` with random keys; `keep` collects every ephemeral `random` returned. */
function pair(pattern: string, opts: { psk?: Uint8Array; pskR?: Uint8Array; prologue?: Uint8Array } = {}) {
  const sI = randomBytes(32), sR = randomBytes(32);
  const pubI = x25519.getPublicKey(sI), pubR = x25519.getPublicKey(sR);
  const ephemerals: Uint8Array[] = [];
  const random = (n: number) => {
    const e = new Uint8Array(randomBytes(n));
    ephemerals.push(e);
    return e;
  };
  const name = full(pattern);
  const I = new HandshakeState(fixOpts(name, true, sI, pubR, random, opts));
  const R = new HandshakeState(fixOpts(name, false, sR, pubI, random, { ...opts, psk: opts.pskR ?? opts.psk }));
  return { I, R, sI, sR, pubI, pubR, ephemerals };
}

/**
 * Options that give each side exactly the keys its pattern needs (§7.4, §7.5): the first letter is
 * the initiator's static (N none, K known to the responder, X/I sent), the second the responder's;
 * one-way patterns name only the initiator and the responder's static is always known to it.
 */
function fixOpts(name: string, initiator: boolean, s: Uint8Array, peerPub: Uint8Array, random: (n: number) => Uint8Array, o: { psk?: Uint8Array; prologue?: Uint8Array }): HandshakeOptions {
  const p = name.split("_")[1];
  const base = p.replace(/psk.*$/, "");
  const nPsk = (p.match(/psk/g) ?? []).length;
  const letterI = base[0], letterR = base.length === 1 ? "K" : base[1];
  const opts: HandshakeOptions = { protocolName: name, initiator, random, prologue: o.prologue };
  if ((initiator ? letterI : letterR) !== "N") opts.s = s;
  if ((initiator ? letterR : letterI) === "K") opts.rs = peerPub;
  if (nPsk) opts.psks = Array.from({ length: nPsk }, () => o.psk ?? new Uint8Array(32).fill(7));
  return opts;
}

function runHandshake(I: HandshakeState, R: HandshakeState, payloads: Uint8Array[] = []): Uint8Array[] {
  const msgs: Uint8Array[] = [];
  for (let i = 0; !I.isComplete(); i++) {
    const [w, r] = i % 2 === 0 ? [I, R] : [R, I];
    const m = w.writeMessage(payloads[i] ?? EMPTY);
    msgs.push(m);
    assert.deepEqual(r.readMessage(m), payloads[i] ?? EMPTY);
  }
  return msgs;
}

const ALL = [...fundamentalPatternNames(), "NNpsk0", "NNpsk2", "KKpsk0", "XXpsk3", "IKpsk2", "Npsk0", "Xpsk1", "XXpsk0+psk3"];

test("random keys and payloads: every pattern completes, both sides agree, transport works both ways", () => {
  fc.assert(
    fc.property(fc.constantFrom(...ALL), fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 3, maxLength: 3 }), fc.uint8Array({ maxLength: 30 }), (pattern, payloads, prologue) => {
      const { I, R, pubI, pubR } = pair(pattern, { prologue });
      runHandshake(I, R, payloads);
      assert.ok(R.isComplete());
      assert.deepEqual(I.getHandshakeHash(), R.getHandshakeHash());
      if (I.getLocalStatic() && R.getRemoteStatic()) assert.deepEqual(R.getRemoteStatic(), pubI);
      if (R.getLocalStatic() && I.getRemoteStatic()) assert.deepEqual(I.getRemoteStatic(), pubR);
      const a = I.split(), b = R.split();
      const m = new Uint8Array([1, 2, 3]);
      assert.deepEqual(b.recv!.decryptWithAd(EMPTY, a.send!.encryptWithAd(EMPTY, m)), m);
      if (a.recv) assert.deepEqual(a.recv.decryptWithAd(EMPTY, b.send!.encryptWithAd(EMPTY, m)), m);
      else assert.equal(b.send, null, "one-way: the responder cannot send");
    }),
    { numRuns: 60 },
  );
});

test("after the handshake every ephemeral, our static copy, the PSKs, ck and the handshake key are zero", () => {
  for (const pattern of ["XXpsk3", "KK", "IK", "NNpsk0+psk2", "X"]) {
    const psk = new Uint8Array(32).fill(9);
    const { I, R, sI, sR, ephemerals } = pair(pattern, { psk });
    const sICopy = sI.slice(), sRCopy = sR.slice();
    const held = [I, R].map((h) => ({ e: () => inside(h).e, s: inside(h).s, psks: inside(h).psks.slice(), ck: inside(h).ss.ck }));
    runHandshake(I, R);
    assert.ok(ephemerals.length > 0);
    for (const e of ephemerals) assert.ok(isZero(e), `${pattern}: the array random() returned is wiped`);
    for (const h of held) {
      if (h.s) assert.ok(isZero(h.s.priv), `${pattern}: our copy of the static key`);
      for (const k of h.psks) assert.ok(isZero(k), `${pattern}: PSK copy`);
      assert.ok(isZero(h.ck), `${pattern}: chaining key`);
      const e = h.e();
      if (e) assert.ok(isZero(e.priv), `${pattern}: ephemeral`);
    }
    assert.equal(inside(I).ss.cs.k, null, "handshake CipherState key dropped");
    assert.deepEqual(sI, sICopy, "the caller's static key is not touched");
    assert.deepEqual(sR, sRCopy);
    assert.ok(psk.every((b) => b === 9), "the caller's PSK is not touched");
  }
});

test("XXpsk3 with another PSK fails at message 3, and the failing side wipes everything", () => {
  const { I, R, ephemerals } = pair("XXpsk3", { psk: new Uint8Array(32).fill(1), pskR: new Uint8Array(32).fill(2) });
  R.readMessage(I.writeMessage());
  I.readMessage(R.writeMessage());
  const m3 = I.writeMessage();
  const ck = inside(R).ss.ck, psk = inside(R).psks[0];
  assert.throws(() => R.readMessage(m3), code("PROTO_AUTH"));
  assert.ok(isZero(ephemerals[1]), "responder ephemeral wiped on failure");
  assert.ok(isZero(ck) && isZero(psk) && isZero(inside(R).s!.priv));
  assert.throws(() => R.split(), code("PROTO_BAD_STATE"));
  assert.throws(() => R.writeMessage(), code("PROTO_BAD_STATE"));
});

test("malformed messages: every truncation and every flipped bit of XXpsk3 ends the handshake with a PROTO_ error", () => {
  // Reference transcript, to replay up to the message under test.
  for (let target = 0; target < 3; target++) {
    let length = 0;
    {
      const { I, R } = pair("XXpsk3");
      const msgs = runHandshake(I, R, [EMPTY, new Uint8Array(5), new Uint8Array(3)]);
      length = msgs[target].length;
    }
    const tries: ((m: Uint8Array) => Uint8Array)[] = [];
    for (let cut = 0; cut < length; cut++) tries.push((m) => m.subarray(0, cut));
    for (let bit = 0; bit < length * 8; bit += 3) tries.push((m) => { const x = m.slice(); x[bit >> 3] ^= 1 << (bit & 7); return x; });
    tries.push((m) => new Uint8Array([...m, 0]));
    for (const mangle of tries) {
      const { I, R } = pair("XXpsk3");
      const payloads = [EMPTY, new Uint8Array(5), new Uint8Array(3)];
      let i = 0;
      for (; i < target; i++) {
        const [w, r] = i % 2 === 0 ? [I, R] : [R, I];
        r.readMessage(w.writeMessage(payloads[i]));
      }
      const [w, r] = i % 2 === 0 ? [I, R] : [R, I];
      const bad = mangle(w.writeMessage(payloads[i]));
      let failedAt = -1;
      try {
        r.readMessage(bad);
        // Message 1 has no key yet: a change to it (or bytes added to its payload) only shows
        // when the transcripts diverge, at the next encrypted item.
        w.readMessage(r.writeMessage(payloads[i + 1]));
      } catch (e) {
        assert.ok(protoCode(e), `message ${target}: ${String(e)}`);
        failedAt = 1;
      }
      if (failedAt < 0) {
        assert.equal(target, 0, "only message 1 can be altered without an immediate error");
        assert.fail("an altered message 1 must fail at message 2 at the latest");
      }
    }
  }
});

test("low-order keys: an all-zero DH output is PROTO_BAD_KEY, for each point the CPace draft lists", () => {
  const lows = cpaceVectors().vfy.filter((v) => v.a).map((v) => unhex(v.u));
  assert.equal(lows.length, 7);
  for (const u of lows) {
    const { I, R } = pair("XXpsk3");
    R.readMessage(I.writeMessage());
    const m2 = R.writeMessage();
    m2.set(u, 0);
    assert.throws(() => I.readMessage(m2), code("PROTO_BAD_KEY"));
    // A pre-shared static key of low order is refused at the first DH that uses it.
    const kk = new HandshakeState({ protocolName: full("KK"), initiator: true, s: randomBytes(32), rs: u, random: (n) => new Uint8Array(randomBytes(n)) });
    assert.throws(() => kk.writeMessage(), code("PROTO_BAD_KEY"));
    assert.throws(() => kk.writeMessage(), code("PROTO_BAD_STATE"));
  }
});

test("out-of-order calls are PROTO_BAD_STATE", () => {
  let { I, R } = pair("KK");
  assert.throws(() => I.readMessage(new Uint8Array(64)), code("PROTO_BAD_STATE"), "initiator reads first");
  ({ I, R } = pair("KK"));
  assert.throws(() => R.writeMessage(), code("PROTO_BAD_STATE"), "responder writes first");
  ({ I, R } = pair("KK"));
  const m1 = I.writeMessage();
  assert.throws(() => I.writeMessage(), code("PROTO_BAD_STATE"), "initiator writes twice");
  ({ I, R } = pair("KK"));
  assert.throws(() => I.split(), code("PROTO_BAD_STATE"), "split before the end");
  runHandshake(I, R);
  assert.throws(() => I.writeMessage(), code("PROTO_BAD_STATE"), "write after the end");
  assert.throws(() => R.readMessage(m1), code("PROTO_BAD_STATE"), "read after the end");
  I.split();
  assert.throws(() => I.split(), code("PROTO_BAD_STATE"), "split twice");
});

test("Initialize checks the keys the pattern needs", () => {
  const k = new Uint8Array(randomBytes(32)), random = (n: number) => new Uint8Array(randomBytes(n));
  assert.throws(() => new HandshakeState({ protocolName: full("XX"), initiator: true, random }), code("PROTO_MISSING_KEY"));
  assert.throws(() => new HandshakeState({ protocolName: full("KK"), initiator: true, s: k, random }), code("PROTO_MISSING_KEY"));
  assert.throws(() => new HandshakeState({ protocolName: full("NN"), initiator: true }), code("PROTO_BAD_INPUT"), "no random");
  assert.throws(() => new HandshakeState({ protocolName: full("XX"), initiator: true, s: k, rs: k, random }), code("PROTO_BAD_INPUT"), "rs for a pattern that sends it");
  assert.throws(() => new HandshakeState({ protocolName: full("XXpsk3"), initiator: true, s: k, random, psks: [k, k] }), code("PROTO_BAD_INPUT"));
  assert.throws(() => new HandshakeState({ protocolName: full("XXpsk3"), initiator: true, s: k, random, psks: [k.subarray(1)] }), code("CRYPTO_BAD_INPUT"));
  assert.throws(() => new HandshakeState({ protocolName: full("XX"), initiator: true, s: k.subarray(1), random }), code("CRYPTO_BAD_INPUT"));
  assert.throws(() => new HandshakeState(undefined as unknown as HandshakeOptions), code("PROTO_BAD_INPUT"));
  const bad = new HandshakeState({ protocolName: full("NN"), initiator: true, random: () => new Uint8Array(31) });
  assert.throws(() => bad.writeMessage(), code("CRYPTO_BAD_INPUT"), "random(32) returned 31 bytes");
  const big = new HandshakeState({ protocolName: full("NN"), initiator: true, random });
  assert.throws(() => big.writeMessage(new Uint8Array(65535 - 31)), code("PROTO_BAD_LENGTH"));
});

test("supplyPsk: the pairing initiator learns its PSK after message 2 (docs/protocol.md §2.1)", () => {
  const psk = new Uint8Array(randomBytes(32)), random = (n: number) => new Uint8Array(randomBytes(n));
  const I = new HandshakeState({ protocolName: full("XXpsk3"), initiator: true, s: randomBytes(32), random });
  const R = new HandshakeState({ protocolName: full("XXpsk3"), initiator: false, s: randomBytes(32), random, psks: [psk] });
  R.readMessage(I.writeMessage());
  I.readMessage(R.writeMessage());
  I.supplyPsk(psk);
  assert.throws(() => I.supplyPsk(psk), code("PROTO_BAD_INPUT"), "one psk token, one PSK");
  R.readMessage(I.writeMessage());
  assert.ok(I.isComplete() && R.isComplete());
  const late = new HandshakeState({ protocolName: full("XXpsk3"), initiator: true, s: randomBytes(32), random });
  const R2 = new HandshakeState({ protocolName: full("XXpsk3"), initiator: false, s: randomBytes(32), random, psks: [psk] });
  R2.readMessage(late.writeMessage());
  late.readMessage(R2.writeMessage());
  assert.throws(() => late.writeMessage(), code("PROTO_MISSING_KEY"), "psk token with no PSK");
});
