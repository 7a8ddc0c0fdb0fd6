/**
 * Holding the one conversation slot without a captured frame (issue 10, item 2, security review):
 * a link that has sent no complete first frame gives way to a new link and has a short deadline;
 * an unconfirmed session handshake gives way only to a newcomer whose own SESSION_HELLO was read;
 * a SESSION_HELLO whose `e` the device accepted recently is refused before any DH
 * (docs/protocol.md §7 "One conversation slot").
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { utf8Encode } from "../../../commissioner/bytes.ts";
import { FRAME } from "../../../commissioner/framing.ts";
import { generateKeyPair, type KeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession } from "../../../commissioner/session.ts";
import { FIRST_FRAME_MS } from "../../../firmware/onboarding/conversation.ts";
import { HELLO_CACHE_SIZE } from "../../../firmware/onboarding/hello-cache.ts";
import { boot, connect, errorOf, memoryStore, ready, CODE, type Wire, type World } from "./harness.ts";

const T = 3000;

async function paired(o: { store?: ReturnType<typeof memoryStore> } = {}): Promise<{ w: World; me: KeyPair; dev: Uint8Array }> {
  const w = ready(boot(o));
  const me = generateKeyPair();
  const r = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T });
  return { w, me, dev: r.devicePublicKey };
}

/** A SESSION_HELLO the owner sent (captured on the wire), its session done. */
async function capturedHello(w: World, me: KeyPair, dev: Uint8Array): Promise<Uint8Array> {
  const wire = connect(w);
  const s = await openSession(wire.t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
  await s.echo(utf8Encode("captured"), T);
  s.close();
  assert.equal(wire.sent[0][1], FRAME.SESSION_HELLO);
  return wire.sent[0];
}

type Move = "bare" | "junk" | "replay";

/** One attacker link: nothing, an incomplete frame, or the captured hello; kept open. */
function attack(w: World, move: Move, hello: Uint8Array, held: Wire[]): void {
  const a = connect(w);
  if (move === "junk") a.raw.send(hello.subarray(0, 10)); // a frame header promising bytes that never come
  if (move === "replay") a.raw.send(hello);
  w.pump();
  held.push(a);
}

/**
 * The owner opens a session and echoes while the attacker connects again in the one round trip
 * the owner's handshake is unconfirmed (between SESSION_ACCEPT and its first DATA).
 */
async function ownerOpens(w: World, me: KeyPair, dev: Uint8Array, move: Move, hello: Uint8Array, held: Wire[]): Promise<void> {
  const wire = connect(w);
  wire.filter = (bytes, i) => {
    if (i === 1) attack(w, move, hello, held);
    return bytes;
  };
  const s = await openSession(wire.t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const m = utf8Encode("owner " + move);
  assert.deepEqual(await s.echo(m, T), m);
  s.close();
}

for (const move of ["bare", "junk", "replay"] as const) {
  test(`an attacker connecting every 2 s (${move}) cannot keep the owner out`, async () => {
    const { w, me, dev } = await paired();
    const hello = await capturedHello(w, me, dev);
    const held: Wire[] = [];
    for (let round = 0; round < 5; round++) {
      attack(w, move, hello, held);
      w.clock.advance(1000);
      // The owner comes while the attacker's last link is open, and the attacker comes back
      // inside the owner's unconfirmed round trip: the owner's session opens all the same.
      await ownerOpens(w, me, dev, move, hello, held);
      w.clock.advance(1000);
    }
    assert.equal(w.logs.filter((l) => l === "session open").length, 6, w.logs.slice(-20).join("\n"));
    for (const a of held) a.raw.close();
    w.device.stop();
  });
}

test("a link that sends no complete first frame is ended after FIRST_FRAME_MS, a few seconds", async () => {
  const { w } = await paired();
  assert.ok(FIRST_FRAME_MS <= 5000, "a short first-frame deadline: " + FIRST_FRAME_MS);
  const a = connect(w);
  w.pump();
  w.clock.advance(FIRST_FRAME_MS - 1);
  assert.equal(a.raw.isClosed(), false);
  w.clock.advance(2);
  const f = await a.t.receive(T);
  assert.equal(f.type, FRAME.ERROR);
  assert.deepEqual(errorOf(f.body), { code: 8, detail: "PROTO_TIMEOUT" });
  w.device.stop();
});

test("a link that sent nothing gives way to the next link (ERROR BUSY superseded)", async () => {
  const { w, me, dev } = await paired();
  const a = connect(w);
  w.pump();
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const f = await a.t.receive(T);
  assert.equal(f.type, FRAME.ERROR);
  assert.deepEqual(errorOf(f.body), { code: 9, detail: "superseded" });
  s.close();
  w.device.stop();
});

test("a newcomer whose own SESSION_HELLO is read supersedes an unconfirmed handshake; one still silent does not", async () => {
  const { w, me, dev } = await paired();
  // An unconfirmed handshake: the owner's hello answered, no DATA yet.
  const first = connect(w);
  first.filter = (bytes, i) => (i === 0 ? bytes : null); // its DATA never reaches the device
  const s1 = openSession(first.t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const open1 = await s1;
  // A silent newcomer: the unconfirmed handshake keeps the slot.
  const silent = connect(w);
  w.pump();
  assert.equal(first.raw.isClosed(), false);
  // A newcomer with a fresh hello: it takes the slot, the first handshake gets BUSY superseded,
  // and the silent one (no longer needed as a contender) gives way to it.
  const s2 = await openSession(connect(w).t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
  assert.deepEqual(await s2.echo(utf8Encode("second"), T), utf8Encode("second"));
  const f = await first.t.receive(T);
  assert.deepEqual(errorOf(f.body), { code: 9, detail: "superseded" });
  assert.equal(silent.raw.isClosed(), true);
  open1.close();
  s2.close();
  w.device.stop();
});

test(`a SESSION_HELLO whose e is among the last ${HELLO_CACHE_SIZE} accepted is refused before the identity key is read (no DH)`, async () => {
  const store = memoryStore();
  let idReads = 0;
  const get = store.get;
  store.get = (n: string) => {
    if (n === "id") idReads++;
    return get(n);
  };
  const { w, me, dev } = await paired({ store });
  const hello = await capturedHello(w, me, dev);
  const before = idReads;
  const a = connect(w);
  a.raw.send(hello);
  w.pump();
  const f = await a.t.receive(T);
  assert.equal(f.type, FRAME.ERROR);
  assert.deepEqual(errorOf(f.body), { code: 7, detail: "PROTO_REPLAY" });
  assert.equal(idReads, before, "the identity key was not read for a replay");
  // The cache holds HELLO_CACHE_SIZE: after that many newer sessions the old hello is answered
  // again (the bound docs/protocol.md §7 states), and never counts as a session.
  for (let i = 0; i < HELLO_CACHE_SIZE; i++) await capturedHello(w, me, dev);
  const b = connect(w);
  b.raw.send(hello);
  w.pump();
  assert.equal((await b.t.receive(T)).type, FRAME.SESSION_ACCEPT);
  b.raw.close();
  w.device.stop();
});

test("the bound: a hello older than the cache preempts the owner's unconfirmed handshake once; the owner opens again and that hello is then refused", async () => {
  const { w, me, dev } = await paired();
  const stale = await capturedHello(w, me, dev);
  for (let i = 0; i < HELLO_CACHE_SIZE; i++) await capturedHello(w, me, dev);
  const held: Wire[] = [];
  const first = await ownerOpens(w, me, dev, "replay", stale, held).then(() => null, (e) => e);
  assert.ok(first !== null, "the stale replay, read in the owner's round trip, took the slot");
  assert.equal(w.logs.filter((l) => l.includes("gave way to a newer one")).length, 1);
  // The replay now holds the slot unconfirmed; the owner's next hello supersedes it, and a second
  // replay of the same stale hello is refused before any DH.
  await ownerOpens(w, me, dev, "replay", stale, held);
  const last = held[held.length - 1];
  const f = await last.t.receive(T);
  assert.deepEqual(errorOf(f.body), { code: 7, detail: "PROTO_REPLAY" });
  for (const a of held) a.raw.close();
  w.device.stop();
});
