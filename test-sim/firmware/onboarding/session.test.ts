/**
 * The firmware device against the real commissioner (commissioner/session.ts): operational sessions
 * (docs/protocol.md §3) — KK from the stored statics, DATA counters, replay/reorder/tamper, REKEY.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { concatBytes, fromHex, toHex, u64be, utf8Encode } from "../../../commissioner/bytes.ts";
import { generateKeyPair, HandshakeState, type KeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { APP, openSession, SESSION_PROLOGUE, SESSION_PROTOCOL } from "../../../commissioner/session.ts";
import { FRAME } from "../../../commissioner/framing.ts";
import { boot, connect, errorOf, frame, ready, CODE, type World, type Wire } from "./harness.ts";

const T = 3000;

async function paired(extra: object = {}): Promise<{ w: World; me: KeyPair; dev: Uint8Array }> {
  const w = ready(boot());
  const me = generateKeyPair();
  const r = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T, ...extra });
  return { w, me, dev: r.devicePublicKey };
}

async function session(w: World, me: KeyPair, dev: Uint8Array, o: object = {}) {
  const wire = connect(w);
  const s = await openSession(wire.t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T, ...o });
  return { s, wire };
}

/** The ERROR the device sent last on this wire (its session ended). */
async function deviceError(wire: Wire) {
  for (;;) {
    const f = await wire.t.receive(1000);
    if (f.type === FRAME.ERROR) return errorOf(f.body);
  }
}

test("a session: ECHO round trips, counters advance in both directions, the device's state shows it", async () => {
  const { w, me, dev } = await paired();
  const { s } = await session(w, me, dev);
  assert.equal(w.device.state(), "session");
  for (let i = 0; i < 5; i++) {
    const m = utf8Encode("hello " + i);
    assert.deepEqual(await s.echo(m, T), m);
  }
  assert.equal(s.sendCounter, 5);
  assert.equal(s.receiveCounter, 5);
  assert.equal(w.device.status().session.received, 5);
  s.close();
  assert.equal(w.device.state(), "paired");
});

test("two sessions have different keys (fresh ephemerals each time)", async () => {
  const { w, me, dev } = await paired();
  const a = await session(w, me, dev);
  a.s.close();
  const b = await session(w, me, dev);
  b.s.close();
  assert.notEqual(toHex(a.s.handshakeHash), toHex(b.s.handshakeHash));
  assert.notEqual(toHex(a.wire.received[0]), toHex(b.wire.received[0]));
});

test("REKEY both ways: the commissioner's policy and the device's (rekey-messages from the pairing configuration)", async () => {
  const { w, me, dev } = await paired({ rekeyMessages: 3 });
  const { s } = await session(w, me, dev, { rekeyMessages: 2 });
  for (let i = 0; i < 10; i++) {
    const m = Uint8Array.of(i, i, i);
    assert.deepEqual(await s.echo(m, T), m);
  }
  assert.equal(s.stats.rekeysSent, 4);
  assert.equal(w.device.status().session.rekeysReceived, 4);
  assert.equal(w.device.status().session.rekeysSent, 3);
  assert.equal(s.stats.rekeysReceived, 3);
  // Counters continue across rekeys (§3.4): 10 DATA + 4 REKEY sent by the commissioner.
  assert.equal(s.sendCounter, 14);
  s.close();
});

test("the device rekeys after rekey-seconds too", async () => {
  const { w, me, dev } = await paired({ rekeySeconds: 5 });
  const { s } = await session(w, me, dev);
  assert.deepEqual(await s.echo(Uint8Array.of(1), T), Uint8Array.of(1));
  w.clock.advance(5000);
  assert.deepEqual(await s.echo(Uint8Array.of(2), T), Uint8Array.of(2));
  assert.equal(s.stats.rekeysReceived, 1);
  s.close();
});

test("both sides rekey before, not after, the DATA that would cross the 2^20-byte budget of a key", async () => {
  const { DEFAULT_REKEY_BYTES } = await import("../../../firmware/onboarding/session.ts");
  const { w, me, dev } = await paired({ rekeyMessages: 1_000_000 });
  const { s } = await session(w, me, dev, { rekeyMessages: 1_000_000 });
  const m = new Uint8Array(999).fill(7); // DATA plaintext: type byte + 999 = 1000 bytes
  const fit = Math.floor(DEFAULT_REKEY_BYTES / 1000); // 1048 messages fit under one key, the 1049th would cross
  for (let i = 0; i < fit; i++) await s.echo(m, T);
  assert.equal(w.device.status().session.rekeysSent, 0, "1048 000 bytes: within the budget");
  assert.equal(s.stats.rekeysSent, 0);
  await s.echo(m, T);
  assert.equal(w.device.status().session.rekeysSent, 1, "the device's 1049th message goes under a new key");
  assert.equal(s.stats.rekeysReceived, 1);
  assert.equal(s.stats.rekeysSent, 1, "so does the commissioner's");
  assert.equal(w.device.status().session.rekeysReceived, 1);
  s.close();
});

test("a replayed DATA frame is PROTO_REPLAY and ends the session; the device stays paired", async () => {
  const { w, me, dev } = await paired();
  const { s, wire } = await session(w, me, dev);
  await s.echo(utf8Encode("once"), T);
  const data = wire.sent[wire.sent.length - 1];
  wire.raw.send(data);
  assert.deepEqual(await deviceError(wire), { code: 7, detail: "PROTO_REPLAY" });
  assert.equal(w.device.state(), "paired");
  const again = await session(w, me, dev);
  assert.deepEqual(await again.s.echo(utf8Encode("still"), T), utf8Encode("still"));
  again.s.close();
});

test("a reordered (skipped) DATA frame is PROTO_OUT_OF_ORDER", async () => {
  const { w, me, dev } = await paired();
  const { s, wire } = await session(w, me, dev);
  const held: Uint8Array[] = [];
  wire.filter = (b) => (held.length === 0 ? (held.push(b), null) : b); // hold back the first DATA
  await s.send(APP.ECHO, utf8Encode("first"));
  await s.send(APP.ECHO, utf8Encode("second"));
  assert.deepEqual(await deviceError(wire), { code: 7, detail: "PROTO_OUT_OF_ORDER" });
  assert.equal(w.device.state(), "paired");
});

test("tampered DATA (a flipped ciphertext bit, a changed counter, a cut tag) is refused", async () => {
  const { w, me, dev } = await paired();
  const cases: [string, (b: Uint8Array) => Uint8Array, string][] = [
    ["flipped bit", (b) => { const c = b.slice(); c[4 + 8 + 1] ^= 1; return c; }, "PROTO_AUTH"],
    ["flipped tag", (b) => { const c = b.slice(); c[c.length - 1] ^= 0x80; return c; }, "PROTO_AUTH"],
    ["counter + 1", (b) => { const c = b.slice(); c[4 + 7] += 1; return c; }, "PROTO_OUT_OF_ORDER"],
    ["body shorter than a tag", (b) => frame(FRAME.DATA, b.subarray(4, 4 + 20)), "PROTO_BAD_LENGTH"],
  ];
  for (const [name, edit, code] of cases) {
    const { s, wire } = await session(w, me, dev);
    wire.filter = (b) => edit(b);
    await s.send(APP.ECHO, utf8Encode("payload"));
    assert.deepEqual(await deviceError(wire), { code: 7, detail: code }, name);
    assert.equal(w.device.state(), "paired");
  }
});

test("a forged REKEY and a REKEY with a payload end the session", async () => {
  const { w, me, dev } = await paired();
  {
    const { s, wire } = await session(w, me, dev);
    await s.echo(Uint8Array.of(9), T);
    wire.raw.send(frame(FRAME.REKEY, concatBytes(u64be(1), new Uint8Array(16))));
    assert.deepEqual(await deviceError(wire), { code: 7, detail: "PROTO_AUTH" });
  }
  {
    const { s, wire } = await session(w, me, dev);
    wire.filter = (b) => (b[1] === FRAME.DATA ? frame(FRAME.SESSION_HELLO, new Uint8Array(48)) : b);
    await s.send(APP.ECHO, Uint8Array.of(1));
    assert.deepEqual(await deviceError(wire), { code: 7, detail: "PROTO_UNEXPECTED" });
  }
});

test("a commissioner the device does not know: AUTH_FAILED; before pairing: NOT_PAIRED", async () => {
  const { w, dev } = await paired();
  const stranger = generateKeyPair();
  const r = await openSession(connect(w).t, { identity: stranger, devicePublicKey: dev, handshakeTimeoutMs: T }).then(() => null, (e) => e);
  assert.equal(r.code, "AUTH_FAILED");
  const fresh = ready(boot());
  const r2 = await openSession(connect(fresh).t, { identity: stranger, devicePublicKey: dev, handshakeTimeoutMs: T }).then(() => null, (e) => e);
  assert.equal(r2.code, "NOT_PAIRED");
});

test("low-order and all-zero ephemerals in SESSION_HELLO: BAD_SHARE", async () => {
  const { w, me, dev } = await paired();
  for (const hex of ["0000000000000000000000000000000000000000000000000000000000000000", "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"]) {
    const e = { privateKey: generateKeyPair().privateKey, publicKey: fromHex(hex) };
    // The host refuses to DH with a low-order key itself, so message 1 is built up to the e token only.
    const hs = new HandshakeState({ protocolName: SESSION_PROTOCOL, initiator: true, prologue: SESSION_PROLOGUE, s: me, rs: dev, e });
    let m1: Uint8Array;
    try {
      m1 = hs.writeMessage(new Uint8Array(0));
    } catch {
      m1 = concatBytes(fromHex(hex), new Uint8Array(16));
    }
    const wire = connect(w);
    wire.raw.send(frame(FRAME.SESSION_HELLO, m1));
    assert.deepEqual(await deviceError(wire), { code: 4, detail: "PROTO_BAD_KEY" }, hex);
  }
  assert.equal(w.device.state(), "paired");
});

test("an idle session ends after 10 min on the device's clock (TIMEOUT)", async () => {
  const { w, me, dev } = await paired();
  const { s, wire } = await session(w, me, dev);
  await s.echo(Uint8Array.of(1), T);
  w.clock.advance(599000);
  assert.equal(w.device.state(), "session");
  w.clock.advance(1001);
  assert.deepEqual(await deviceError(wire), { code: 8, detail: "PROTO_TIMEOUT" });
  assert.equal(w.device.state(), "paired");
});

test("TEXT messages reach the device's log", async () => {
  const { w, me, dev } = await paired();
  const { s } = await session(w, me, dev);
  await s.send(APP.TEXT, utf8Encode("héllo device"));
  await s.echo(Uint8Array.of(0), T);
  assert.ok(w.logs.includes("text from the commissioner: héllo device"), w.logs.join("\n"));
  s.close();
});
