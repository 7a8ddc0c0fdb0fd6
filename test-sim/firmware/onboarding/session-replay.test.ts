/**
 * Replayed session openings (issue 10, item 2). Noise KK message 1 is replayable by design: the
 * device cannot tell a captured SESSION_HELLO from a fresh one and answers SESSION_ACCEPT. What it
 * must not do is count that as a session: no SESSION_OPENED in the audit trail, no 10-minute idle
 * timer, no hold on the one conversation slot, until the initiator's first authenticated message
 * decrypts (docs/protocol.md §3.2, §6). A replay of one of the last HELLO_CACHE_SIZE accepted hellos
 * is refused before any DH (§7; slot-hold.test.ts); older ones are answered, and bounded as here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { toHex, utf8Encode } from "../../../commissioner/bytes.ts";
import { FRAME } from "../../../commissioner/framing.ts";
import { generateKeyPair, type KeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession } from "../../../commissioner/session.ts";
import { AuditEvent as E } from "../../../firmware/lifecycle/audit.ts";
import { SESSION_CONFIRM_MS } from "../../../firmware/onboarding/session.ts";
import { HELLO_CACHE_SIZE } from "../../../firmware/onboarding/hello-cache.ts";
import { boot, connect, errorOf, fails, ready, CODE, type Wire, type World } from "./harness.ts";

const T = 3000;

async function pairedWithHistory(): Promise<{ w: World; me: KeyPair; dev: Uint8Array }> {
  const w = ready(boot());
  // A failed attempt first: PAIRING_FAILED and KEY_GENERATED are the entries a flood would push out.
  const wrong = await pair(connect(w).t, { code: "20202022", identity: generateKeyPair(), stepTimeoutMs: T }).then(() => null, (e) => e);
  assert.equal(wrong?.code, "PAIRING_FAILED");
  const me = generateKeyPair();
  const r = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T });
  return { w, me, dev: r.devicePublicKey };
}

/** The owner's session: opens, reads the whole trail, closes. */
async function ownerReadsTrail(w: World, me: KeyPair, dev: Uint8Array) {
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const r = await s.readAudit(0, T);
  s.close();
  return r;
}

/**
 * The owner's SESSION_HELLO captured on the wire, then pushed out of the device's cache of recent
 * ephemerals by HELLO_CACHE_SIZE newer sessions: the device answers it once more.
 */
async function staleHello(w: World, me: KeyPair, dev: Uint8Array): Promise<Uint8Array> {
  const owner = connect(w);
  const s = await openSession(owner.t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
  await s.echo(utf8Encode("owner"), T);
  s.close();
  for (let i = 0; i < HELLO_CACHE_SIZE; i++) {
    const n = await openSession(connect(w).t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
    await n.echo(utf8Encode("newer " + i), T);
    n.close();
  }
  assert.equal(owner.sent[0][1], FRAME.SESSION_HELLO);
  return owner.sent[0];
}

/** Sends the captured SESSION_HELLO bytes on a fresh link; resolves with the device's answer frame. */
async function replay(w: World, hello: Uint8Array): Promise<{ wire: Wire; type: number }> {
  const wire = connect(w);
  wire.raw.send(hello);
  w.pump();
  const f = await wire.t.receive(T);
  return { wire, type: f.type };
}

test("300 replays of a captured SESSION_HELLO leave the audit trail, the counter and the owner's access untouched", async () => {
  const { w, me, dev } = await pairedWithHistory();
  const hello = await staleHello(w, me, dev);

  const before = await ownerReadsTrail(w, me, dev);
  const failsBefore = fails(w);
  const held: Wire[] = [];
  for (let i = 0; i < 300; i++) {
    const r = await replay(w, hello);
    // The first time the device cannot tell the stale replay from a fresh hello: it answers, and
    // that is all. Its `e` is then a recent one: every later replay is refused before any DH.
    assert.equal(r.type, i === 0 ? FRAME.SESSION_ACCEPT : FRAME.ERROR, "replay " + i);
    held.push(r.wire); // the attacker keeps every link open
  }
  assert.equal(fails(w), failsBefore);

  // The owner gets in while the last replay's link is still open, and the trail is as it was plus
  // the owner's own two sessions: nothing pushed out, no SESSION_OPENED for any replay.
  const after = await ownerReadsTrail(w, me, dev);
  assert.deepEqual(after.gap, null);
  assert.equal(after.verdict, "ok");
  const n = before.entries.length;
  assert.deepEqual(after.entries.slice(0, n).map((e) => toHex(e.raw)), before.entries.map((e) => toHex(e.raw)));
  assert.deepEqual(after.entries.slice(n).map((e) => e.event), [E.SESSION_OPENED]);
  assert.ok(after.entries.some((e) => e.event === E.PAIRING_FAILED) && after.entries.some((e) => e.event === E.KEY_GENERATED));
  assert.equal(w.logs.filter((l) => l === "session open").length, 3 + HELLO_CACHE_SIZE, "the owner's sessions, no replay");
  w.device.stop();
});

test("an unconfirmed handshake holds the link for SESSION_CONFIRM_MS only, and never arms the idle timer", async () => {
  const { w, me, dev } = await pairedWithHistory();
  const r = await replay(w, await staleHello(w, me, dev));
  assert.equal(r.type, FRAME.SESSION_ACCEPT);
  assert.ok(SESSION_CONFIRM_MS <= 10000, "a short timeout");
  w.clock.advance(SESSION_CONFIRM_MS - 1);
  assert.equal(w.device.state(), "session");
  w.clock.advance(2);
  const f = await r.wire.t.receive(T);
  assert.equal(f.type, FRAME.ERROR);
  assert.deepEqual(errorOf(f.body), { code: 8, detail: "PROTO_TIMEOUT" });
  assert.equal(w.device.state(), "paired");
  assert.equal(w.logs.filter((l) => l === "session open").length, 1 + HELLO_CACHE_SIZE, "the owner's sessions only");
  w.device.stop();
});

test("a confirmed session is not given up for a new link: the second link gets BUSY", async () => {
  const { w, me, dev } = await pairedWithHistory();
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
  await s.echo(utf8Encode("confirmed"), T);
  const other = connect(w);
  const f = await other.t.receive(T);
  assert.equal(f.type, FRAME.ERROR);
  assert.equal(errorOf(f.body).code, 9);
  assert.deepEqual(await s.echo(utf8Encode("still here"), T), utf8Encode("still here"));
  s.close();
  w.device.stop();
});
