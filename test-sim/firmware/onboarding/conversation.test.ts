/**
 * The frame queue of firmware/onboarding/conversation.ts (issue 10, item 6): the limit of
 * MAX_QUEUED frames is for frames waiting behind a split-phase step, not for a peer that pipelines
 * messages inside an open session.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { concatBytes, u64be } from "../../../commissioner/bytes.ts";
import { FRAME } from "../../../commissioner/framing.ts";
import { generateKeyPair, HandshakeState, type CipherState } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { APP, openSession, SESSION_PROLOGUE, SESSION_PROTOCOL, type Session } from "../../../commissioner/session.ts";
import { MAX_QUEUED } from "../../../firmware/onboarding/conversation.ts";
import { boot, connect, errorOf, frame, ready, CODE } from "./harness.ts";

const T = 3000;

/** DATA frames sealed with the session's own sending CipherState, as one byte string. */
function sealedEchoes(s: Session, n: number): Uint8Array {
  const cs = (s as unknown as { sendCs: CipherState }).sendCs;
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const counter = cs.n;
    out.push(frame(FRAME.DATA, concatBytes(u64be(counter), cs.encryptWithAd(new Uint8Array(0), Uint8Array.of(APP.ECHO, i)))));
  }
  return concatBytes(...out);
}

test("five pipelined DATA frames in one chunk are all answered (no split-phase step is running)", async () => {
  const w = ready(boot());
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T });
  const wire = connect(w);
  const s = await openSession(wire.t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const n = MAX_QUEUED + 1;
  wire.raw.send(sealedEchoes(s, n));
  w.pump();
  for (let i = 0; i < n; i++) {
    const m = await s.receive(T);
    assert.equal(m.appType, APP.ECHO);
    assert.deepEqual([...m.body], [i]);
  }
  assert.equal(w.device.state(), "session");
  assert.equal(w.device.status().session.received, n);
  // And a long burst too: 40 frames in one chunk.
  wire.raw.send(sealedEchoes(s, 40));
  w.pump();
  for (let i = 0; i < 40; i++) assert.deepEqual([...(await s.receive(T)).body], [i]);
  s.close();
  w.device.stop();
});

test("more than MAX_QUEUED frames behind a split-phase step is still PROTO_UNEXPECTED", async () => {
  const w = ready(boot());
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T });
  // A fresh hello (its answer is split-phase; a replayed one is refused before that, slot-hold
  // tests) with MAX_QUEUED + 1 frames run ahead of it, in one chunk.
  const hs = new HandshakeState({ protocolName: SESSION_PROTOCOL, initiator: true, prologue: SESSION_PROLOGUE, s: me, rs: res.devicePublicKey });
  const wire = connect(w);
  const ahead: Uint8Array[] = [frame(FRAME.SESSION_HELLO, hs.writeMessage(new Uint8Array(0)))];
  for (let i = 0; i <= MAX_QUEUED; i++) ahead.push(frame(FRAME.DATA, new Uint8Array(8 + 17)));
  wire.raw.send(concatBytes(...ahead));
  w.pump();
  const f = await wire.t.receive(T);
  assert.equal(f.type, FRAME.ERROR);
  assert.deepEqual(errorOf(f.body), { code: 7, detail: "PROTO_UNEXPECTED" });
  assert.equal(w.device.state(), "paired");
  w.device.stop();
});
