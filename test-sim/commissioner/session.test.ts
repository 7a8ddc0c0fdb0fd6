/** commissioner/session.ts against the test device: KK handshake, ECHO, REKEY both ways, counter checks. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { concatBytes, u64be, utf8Encode } from "../../commissioner/bytes.ts";
import { expectFrame } from "../../commissioner/conversation.ts";
import { DeviceError } from "../../commissioner/errors.ts";
import { FRAME, type Frame } from "../../commissioner/framing.ts";
import { generateKeyPair, HandshakeState, NONCE_LIMIT } from "../../commissioner/noise.ts";
import { pair } from "../../commissioner/pairing.ts";
import { APP, openSession, SESSION_PROLOGUE, SESSION_PROTOCOL } from "../../commissioner/session.ts";
import { memoryTransportPair, type FrameTransport } from "../../commissioner/transport.ts";
import { sealed, TestDevice } from "./test-device.ts";

const CODE = "20202021";

async function pairedDevice() {
  const me = generateKeyPair();
  const dev = new TestDevice({ code: CODE });
  const [c, d] = memoryTransportPair();
  const [res] = await Promise.all([pair(c, { code: CODE, identity: me, stepTimeoutMs: 3000 }), dev.pair(d)]);
  return { me, dev, devicePublicKey: res.devicePublicKey };
}

const codeIs = (code: string) => (e: any) => {
  assert.equal(e.code, code, e.message);
  return true;
};

test("session: echo after pairing, with REKEY from both sides and counters carried across rekeys", async () => {
  const { me, dev, devicePublicKey } = await pairedDevice();
  const [c, d] = memoryTransportPair();
  const served = dev.serve(d, { rekeyEvery: 2 });
  const s = await openSession(c, { identity: me, devicePublicKey, rekeyMessages: 3 });
  for (let i = 0; i < 10; i++) {
    const msg = utf8Encode("hello " + i);
    assert.deepEqual(await s.echo(msg), msg);
  }
  assert.equal(s.stats.sent, 10);
  assert.equal(s.stats.rekeysSent, 3, "after messages 3, 6 and 9");
  assert.equal(s.stats.rekeysReceived, 4, "the device rekeyed after its replies 2, 4, 6, 8");
  assert.equal(s.sendCounter, 13, "10 DATA + 3 REKEY: counters continue across rekeys");
  assert.equal(s.receiveCounter, 14);
  s.close();
  assert.equal(await served, "closed");
});

test("session: the rekey-seconds policy rekeys on the next send", async () => {
  const { me, dev, devicePublicKey } = await pairedDevice();
  const [c, d] = memoryTransportPair();
  const served = dev.serve(d);
  let now = 1_000_000;
  const s = await openSession(c, { identity: me, devicePublicKey, rekeySeconds: 60, now: () => now });
  await s.echo(Uint8Array.of(1));
  assert.equal(s.stats.rekeysSent, 0);
  now += 60_000;
  await s.echo(Uint8Array.of(2));
  assert.equal(s.stats.rekeysSent, 1);
  s.close();
  await served;
});

test("session: a commissioner the device does not know gets AUTH_FAILED", async () => {
  const { dev, devicePublicKey } = await pairedDevice();
  const [c, d] = memoryTransportPair();
  const served = dev.serve(d);
  const r = await openSession(c, { identity: generateKeyPair(), devicePublicKey }).catch((e) => e);
  assert.ok(r instanceof DeviceError);
  assert.equal(r.code, "AUTH_FAILED");
  await served;
});

test("session: an impostor device (its own static key) cannot read SESSION_HELLO and gets no session", async () => {
  const { me, devicePublicKey } = await pairedDevice();
  const impostor = new TestDevice({ code: CODE });
  impostor.commissionerKey = me.publicKey; // it even knows our public key
  const [c, d] = memoryTransportPair();
  const served = impostor.serve(d);
  // KK's first message mixes DH(e, s_device): without the real device's secret the hello does not decrypt.
  await assert.rejects(openSession(c, { identity: me, devicePublicKey }), codeIs("AUTH_FAILED"));
  await served;
});

test("session: a forged SESSION_ACCEPT (fresh e, made-up tag) is PROTO_AUTH", async () => {
  const { me, devicePublicKey } = await pairedDevice();
  const [c, d] = memoryTransportPair();
  const opened = openSession(c, { identity: me, devicePublicKey }).catch((e) => e);
  await expectFrame(d, FRAME.SESSION_HELLO, 2000);
  await d.send(FRAME.SESSION_ACCEPT, concatBytes(generateKeyPair().publicKey, new Uint8Array(16)));
  const r = await opened;
  assert.equal(r.code, "PROTO_AUTH", r.message);
});

/** A session whose device side the test scripts by hand. */
async function scripted() {
  const { me, dev, devicePublicKey } = await pairedDevice();
  const [c, d] = memoryTransportPair();
  const [s, cs] = await Promise.all([openSession(c, { identity: me, devicePublicKey }), dev.acceptSession(d)]);
  return { s, cs: cs!, d };
}

async function lastFrame(d: FrameTransport): Promise<Frame> {
  return await d.receive(2000);
}

test("session: a replayed DATA is PROTO_REPLAY and the device is told", async () => {
  const { s, cs, d } = await scripted();
  const first = concatBytes(u64be(0), cs.send.encryptWithAd(new Uint8Array(0), Uint8Array.of(APP.TEXT, 0x41)));
  await d.send(FRAME.DATA, first);
  assert.equal((await s.receive(2000)).appType, APP.TEXT);
  await d.send(FRAME.DATA, first);
  await assert.rejects(s.receive(2000), codeIs("PROTO_REPLAY"));
  const err = await lastFrame(d);
  assert.equal(err.type, FRAME.ERROR);
  assert.equal(new TextDecoder().decode(err.body.subarray(1)), "PROTO_REPLAY");
  assert.ok(s.closed);
  await assert.rejects(s.send(APP.TEXT, new Uint8Array(1)), codeIs("PROTO_REPLAY"), "the session stays ended");
});

test("session: a skipped counter is PROTO_OUT_OF_ORDER", async () => {
  const { s, cs, d } = await scripted();
  cs.send.encryptWithAd(new Uint8Array(0), Uint8Array.of(APP.TEXT)); // message 0 "lost"
  await sealed(d, cs.send, FRAME.DATA, Uint8Array.of(APP.TEXT));
  await assert.rejects(s.receive(2000), codeIs("PROTO_OUT_OF_ORDER"));
  assert.equal((await lastFrame(d)).type, FRAME.ERROR);
});

test("session: a right counter with a tampered ciphertext is PROTO_AUTH", async () => {
  const { s, cs, d } = await scripted();
  const body = concatBytes(u64be(0), cs.send.encryptWithAd(new Uint8Array(0), Uint8Array.of(APP.TEXT, 1, 2, 3)));
  body[10] ^= 0x80;
  await d.send(FRAME.DATA, body);
  await assert.rejects(s.receive(2000), codeIs("PROTO_AUTH"));
});

test("session: a REKEY with a payload, an empty DATA and a stray frame type are refused", async () => {
  {
    const { s, cs, d } = await scripted();
    await sealed(d, cs.send, FRAME.DATA, new Uint8Array(0));
    await assert.rejects(s.receive(2000), codeIs("PROTO_BAD_PAYLOAD"));
  }
  {
    const { s, d } = await scripted();
    await d.send(FRAME.PAIR_DONE, new Uint8Array(24));
    await assert.rejects(s.receive(2000), codeIs("PROTO_UNEXPECTED"));
  }
  {
    // A REKEY frame is exactly 24 bytes (§3.4), so a payload cannot even be framed.
    const { d } = await scripted();
    await assert.rejects(d.send(FRAME.REKEY, new Uint8Array(25)), codeIs("PROTO_BAD_LENGTH"));
  }
});

test("session: an ERROR frame from the device ends the session with its code", async () => {
  const { s, d } = await scripted();
  await d.send(FRAME.ERROR, concatBytes(Uint8Array.of(9), utf8Encode("busy")));
  const r = await s.receive(2000).catch((e) => e);
  assert.ok(r instanceof DeviceError);
  assert.equal(r.code, "BUSY");
  assert.equal(r.detail, "busy");
});

test("session: our sender refuses to reach 2^53 (PROTO_NONCE_EXHAUSTED)", async () => {
  const { s } = await scripted();
  (s as any).sendCs.setNonce(NONCE_LIMIT - 1);
  await s.send(APP.TEXT, Uint8Array.of(1));
  await assert.rejects(s.send(APP.TEXT, Uint8Array.of(2)), codeIs("PROTO_NONCE_EXHAUSTED"));
  assert.ok(s.closed);
});

test("session: a device that never answers the hello is PROTO_TIMEOUT", async () => {
  const { me, devicePublicKey } = await pairedDevice();
  const [c] = memoryTransportPair();
  await assert.rejects(openSession(c, { identity: me, devicePublicKey, handshakeTimeoutMs: 100 }), codeIs("PROTO_TIMEOUT"));
});

test("session: the hello is KK message 1 with the session prologue (an independent responder reads it)", async () => {
  const { me, dev, devicePublicKey } = await pairedDevice();
  const [c, d] = memoryTransportPair();
  const opening = openSession(c, { identity: me, devicePublicKey, handshakeTimeoutMs: 2000 }).catch((e) => e);
  const hello = await expectFrame(d, FRAME.SESSION_HELLO, 2000);
  assert.equal(hello.length, 48);
  const hs = new HandshakeState({ protocolName: SESSION_PROTOCOL, initiator: false, prologue: SESSION_PROLOGUE, s: dev.identity, rs: me.publicKey });
  assert.equal(hs.readMessage(hello).length, 0);
  const wrongPrologue = new HandshakeState({ protocolName: SESSION_PROTOCOL, initiator: false, prologue: utf8Encode("firstlight/1 pairing"), s: dev.identity, rs: me.publicKey });
  assert.throws(() => wrongPrologue.readMessage(hello), codeIs("PROTO_AUTH"));
  await d.send(FRAME.SESSION_ACCEPT, hs.writeMessage(new Uint8Array(0)));
  const s = await opening;
  s.close();
});
