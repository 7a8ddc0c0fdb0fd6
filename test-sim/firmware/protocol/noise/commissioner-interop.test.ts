/**
 * The firmware Noise against the commissioner's independent host implementation (commissioner/noise.ts,
 * on @noble): with the same keys, each side of a pair can be either implementation and every message
 * is identical. Pairing (XXpsk3) and sessions (KK) are the two that matter; all fundamental patterns run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { HandshakeState } from "../../../../firmware/protocol/noise/handshake-state.ts";
import { fundamentalPatternNames } from "../../../../firmware/protocol/noise/patterns.ts";
import * as host from "../../../../commissioner/noise.ts";

const EMPTY = new Uint8Array(0);

interface Side {
  write(p: Uint8Array): Uint8Array;
  read(m: Uint8Array): Uint8Array;
  hash(): Uint8Array;
  done(): boolean;
}

function keysFor(base: string, initiator: boolean) {
  const letterI = base[0], letterR = base.length === 1 ? "K" : base[1];
  return { hasS: (initiator ? letterI : letterR) !== "N", knowsRs: (initiator ? letterR : letterI) === "K" };
}

function firmwareSide(name: string, base: string, initiator: boolean, s: Uint8Array, e: Uint8Array, peerPub: Uint8Array, psks: Uint8Array[], prologue: Uint8Array): Side {
  const k = keysFor(base, initiator);
  const hs = new HandshakeState({
    protocolName: name, initiator, prologue, psks,
    s: k.hasS ? s : undefined, rs: k.knowsRs ? peerPub : undefined,
    random: () => new Uint8Array(e), // a copy: the firmware wipes what random() returns
  });
  return { write: (p) => hs.writeMessage(p), read: (m) => hs.readMessage(m), hash: () => hs.getHandshakeHash(), done: () => hs.isComplete() };
}

function hostSide(name: string, base: string, initiator: boolean, s: Uint8Array, e: Uint8Array, peerPub: Uint8Array, psks: Uint8Array[], prologue: Uint8Array): Side {
  const k = keysFor(base, initiator);
  const hs = new host.HandshakeState({
    protocolName: name, initiator, prologue, psks,
    s: k.hasS ? host.generateKeyPair(s) : undefined, rs: k.knowsRs ? peerPub : undefined,
    e: host.generateKeyPair(e),
  });
  return { write: (p) => hs.writeMessage(p), read: (m) => hs.readMessage(m), hash: () => hs.getHandshakeHash(), done: () => hs.finished };
}

const PATTERNS = [...fundamentalPatternNames(), "XXpsk3", "KKpsk0", "NNpsk0+psk2"];

test("firmware and commissioner Noise produce the same messages and hashes, in every role combination", () => {
  for (const pattern of PATTERNS) {
    const name = `Noise_${pattern}_25519_ChaChaPoly_SHA256`, base = pattern.replace(/psk.*$/, "");
    const nPsk = (pattern.match(/psk/g) ?? []).length;
    // Plain Uint8Arrays: Buffer.slice is a view, and both implementations wipe what they are given.
    const [sI, sR, eI, eR] = [0, 1, 2, 3].map(() => new Uint8Array(randomBytes(32)));
    const pubI = host.generateKeyPair(sI).publicKey, pubR = host.generateKeyPair(sR).publicKey;
    const psks = Array.from({ length: nPsk }, () => new Uint8Array(randomBytes(32)));
    const prologue = new TextEncoder().encode("firstlight/1 pairing");
    const transcripts: string[] = [];
    for (const [mkI, mkR] of [[firmwareSide, hostSide], [hostSide, firmwareSide], [firmwareSide, firmwareSide]] as const) {
      const I = mkI(name, base, true, sI, eI, pubR, psks, prologue), R = mkR(name, base, false, sR, eR, pubI, psks, prologue);
      const msgs: string[] = [];
      for (let i = 0; !I.done(); i++) {
        const [w, r] = i % 2 === 0 ? [I, R] : [R, I];
        const payload = new Uint8Array([i, i, i]);
        const m = w.write(payload);
        msgs.push(Buffer.from(m).toString("hex"));
        assert.deepEqual(r.read(m), payload, pattern);
      }
      assert.ok(R.done(), pattern);
      assert.deepEqual(I.hash(), R.hash(), pattern);
      transcripts.push(msgs.join("|") + "#" + Buffer.from(I.hash()).toString("hex"));
    }
    assert.equal(transcripts[0], transcripts[1], pattern + ": firmware initiator vs host initiator");
    assert.equal(transcripts[0], transcripts[2], pattern + ": firmware vs firmware");
  }
});

test("transport keys interoperate: firmware initiator ↔ commissioner responder, KK", () => {
  const name = "Noise_KK_25519_ChaChaPoly_SHA256";
  const sI = randomBytes(32), sR = randomBytes(32);
  const kpI = host.generateKeyPair(sI), kpR = host.generateKeyPair(sR);
  const I = new HandshakeState({ protocolName: name, initiator: true, s: sI, rs: kpR.publicKey, random: (n) => new Uint8Array(randomBytes(n)) });
  const R = new host.HandshakeState({ protocolName: name, initiator: false, s: kpR, rs: kpI.publicKey });
  R.readMessage(I.writeMessage());
  I.readMessage(R.writeMessage(EMPTY));
  const a = I.split(), b = R.split();
  for (let i = 0; i < 5; i++) {
    const m = new Uint8Array(randomBytes(i * 7));
    assert.deepEqual(b.receive.decryptWithAd(EMPTY, a.send!.encryptWithAd(EMPTY, m)), m);
    assert.deepEqual(a.recv!.decryptWithAd(EMPTY, b.send.encryptWithAd(EMPTY, m)), m);
  }
});
