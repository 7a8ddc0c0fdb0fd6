/**
 * Secrets die with the handshake: every buffer the random source handed to a responder (the
 * identity key as generated, the CPace scalar, the Noise ephemerals) is all zeros once the
 * conversation has ended, whichever way it ended. The responders are driven directly, with the
 * commissioner's own CPace and Noise on the other side.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { concatBytes, utf8Encode } from "../../../commissioner/bytes.ts";
import { cpaceInitiatorFinish, cpaceShare } from "../../../commissioner/cpace.ts";
import { generateKeyPair, HandshakeState } from "../../../commissioner/noise.ts";
import { derivePairingPsk, pairingPrologue, PAIRING_CI, PAIRING_PROTOCOL } from "../../../commissioner/pairing.ts";
import { SESSION_PROLOGUE, SESSION_PROTOCOL } from "../../../commissioner/session.ts";
import { encodeConfiguration } from "../../../commissioner/tlv.ts";
import { pairingResponder } from "../../../firmware/onboarding/pairing.ts";
import { sessionResponder } from "../../../firmware/onboarding/session.ts";
import { credentialsOn } from "../../../firmware/onboarding/credentials.ts";
import type { Conversation, Responder } from "../../../firmware/onboarding/conversation.ts";
import { x25519Base } from "../../../firmware/crypto/x25519.ts";
import { SimClock } from "../../../hal/sim/clock.ts";
import { memoryStore, CODE } from "./harness.ts";

interface Fake {
  c: Conversation;
  sent: { type: number; body: Uint8Array }[];
  ended: { code: number; detail: string } | null;
  bind(r: Responder): void;
}

function fakeConversation(): Fake {
  let r: Responder | null = null;
  const f: Fake = {
    sent: [],
    ended: null,
    bind: (x) => (r = x),
    c: {
      send: (type, body) => void f.sent.push({ type, body: body.slice() }),
      end: (code, detail) => {
        if (f.ended) return;
        f.ended = { code, detail };
        r!.onEnd("end");
      },
      deadline: () => {},
      ended: () => f.ended !== null,
      started: () => true,
      log: () => {},
      later: (fn) => fn(),
    },
  };
  return f;
}

function recordingRandom() {
  const handed: Uint8Array[] = [];
  const random = (n: number) => {
    const b = new Uint8Array(randomBytes(n));
    handed.push(b);
    return b;
  };
  return { handed, random };
}

const allZero = (b: Uint8Array) => b.every((x) => x === 0);

function runPairing(code: string) {
  const creds = credentialsOn(memoryStore());
  const { handed, random } = recordingRandom();
  const f = fakeConversation();
  const r = pairingResponder({
    prs: utf8Encode(CODE), creds, info: { board: "t" }, windowOpen: () => true, entropyProblem: () => null, random,
    onAttempt: () => {}, onPaired: () => {},
  }, f.c);
  f.bind(r);
  const me = generateKeyPair();
  const sid = new Uint8Array(randomBytes(16));
  const share = cpaceShare({ prs: utf8Encode(code), ci: PAIRING_CI, sid });
  const hs = new HandshakeState({ protocolName: PAIRING_PROTOCOL, initiator: true, prologue: pairingPrologue(sid, share.Y), s: me });
  r.onFrame({ type: 0x01, body: concatBytes(sid, share.Y, hs.writeMessage(new Uint8Array(0))) });
  assert.equal(f.sent[0].type, 0x02);
  const resp = f.sent[0].body;
  hs.supplyPsk(derivePairingPsk(cpaceInitiatorFinish(share, sid, resp.subarray(0, 32))));
  hs.readMessage(resp.subarray(32));
  try {
    r.onFrame({ type: 0x03, body: hs.writeMessage(encodeConfiguration({ label: "x" })) });
  } catch (e) {
    f.c.end(7, String(e), "threw");
  }
  return { f, handed, creds, me };
}

test("pairing success: the identity as generated, the CPace scalar and the ephemeral are wiped; the identity is kept only in the store", () => {
  const { f, handed, creds, me } = runPairing(CODE);
  assert.equal(f.sent[1].type, 0x04);
  assert.equal(f.ended!.code, 0);
  assert.equal(handed.length, 3, "identity, CPace scalar, Noise ephemeral");
  for (const b of handed) assert.ok(allZero(b), "a buffer from random() survived the handshake");
  const id = creds.identity()!;
  assert.ok(!allZero(id));
  assert.deepEqual(creds.pairing()!.peer, me.publicKey);
});

test("pairing with a wrong code: PAIRING_FAILED, and everything random() gave is wiped too", () => {
  const { f, handed, creds } = runPairing("20202022");
  assert.deepEqual(f.ended, { code: 3, detail: "19" });
  assert.equal(handed.length, 3);
  for (const b of handed) assert.ok(allZero(b));
  assert.equal(creds.pairing(), null);
});

test("pairing abandoned after PAIR_RESPONSE (link closed): the ephemeral dies with the conversation", () => {
  const creds = credentialsOn(memoryStore());
  creds.saveIdentity(new Uint8Array(32).fill(5));
  const { handed, random } = recordingRandom();
  const f = fakeConversation();
  const r = pairingResponder({
    prs: utf8Encode(CODE), creds, info: {}, windowOpen: () => true, entropyProblem: () => null, random,
    onAttempt: () => {}, onPaired: () => {},
  }, f.c);
  f.bind(r);
  const sid = new Uint8Array(16).fill(1);
  const share = cpaceShare({ prs: utf8Encode(CODE), ci: PAIRING_CI, sid });
  const hs = new HandshakeState({ protocolName: PAIRING_PROTOCOL, initiator: true, prologue: pairingPrologue(sid, share.Y), s: generateKeyPair() });
  r.onFrame({ type: 0x01, body: concatBytes(sid, share.Y, hs.writeMessage(new Uint8Array(0))) });
  assert.equal(handed.length, 2, "the stored identity is reused: CPace scalar and ephemeral only");
  assert.ok(allZero(handed[0]), "the CPace scalar is wiped once K is computed");
  assert.ok(!allZero(handed[1]), "the ephemeral is still needed for message 3");
  f.c.end(0, "", "link closed");
  assert.ok(allZero(handed[1]));
});

test("session: the ephemeral is wiped when SESSION_ACCEPT is written", () => {
  const creds = credentialsOn(memoryStore());
  const idPriv = new Uint8Array(randomBytes(32));
  creds.saveIdentity(idPriv);
  const me = generateKeyPair();
  creds.savePairing(me.publicKey, new Uint8Array(0));
  const { handed, random } = recordingRandom();
  const f = fakeConversation();
  const stats = { received: 0, sent: 0, rekeysSent: 0, rekeysReceived: 0 };
  const r = sessionResponder({ creds, clock: new SimClock(), entropyProblem: () => null, random, onOpen: () => {}, onText: () => {} }, f.c, stats);
  f.bind(r);
  const hs = new HandshakeState({ protocolName: SESSION_PROTOCOL, initiator: true, prologue: SESSION_PROLOGUE, s: me, rs: x25519Base(idPriv) });
  r.onFrame({ type: 0x10, body: hs.writeMessage(new Uint8Array(0)) });
  assert.equal(f.sent[0].type, 0x11);
  hs.readMessage(f.sent[0].body);
  assert.equal(handed.length, 1);
  assert.ok(allZero(handed[0]));
  f.c.end(0, "", "done");
});

test("pairing whose identity save throws: the new identity key is wiped all the same", () => {
  const store = memoryStore();
  const put = store.put;
  store.put = (n: string, v: Uint8Array) => {
    if (n === "id") throw Object.assign(new Error("STORE_FULL: no room"), { code: "STORE_FULL" });
    put(n, v);
  };
  const creds = credentialsOn(store);
  const { handed, random } = recordingRandom();
  const f = fakeConversation();
  const r = pairingResponder({
    prs: utf8Encode(CODE), creds, info: {}, windowOpen: () => true, entropyProblem: () => null, random,
    onAttempt: () => {}, onPaired: () => {},
  }, f.c);
  f.bind(r);
  const sid = new Uint8Array(16).fill(2);
  const share = cpaceShare({ prs: utf8Encode(CODE), ci: PAIRING_CI, sid });
  const hs = new HandshakeState({ protocolName: PAIRING_PROTOCOL, initiator: true, prologue: pairingPrologue(sid, share.Y), s: generateKeyPair() });
  assert.throws(() => r.onFrame({ type: 0x01, body: concatBytes(sid, share.Y, hs.writeMessage(new Uint8Array(0))) }), /STORE_FULL/);
  f.c.end(9, "STORE_FULL", "threw");
  assert.equal(handed.length, 1, "the identity key only: the attempt stopped at its save");
  assert.equal(handed[0].length, 32);
  assert.ok(allZero(handed[0]), "the identity key that could not be saved is wiped");
  assert.equal(creds.identity(), null);
});
