/**
 * The frame fuzzer (issue 10): random and mutated frames, one connection per case, against a
 * device on the simulated HAL (the real store on SimFlash, the real audit trail):
 *
 *   pairing  an unpaired device with its window open: the pairing responder behind the frame
 *            decoder and the conversation (random bytes, frames of any type and length, lying
 *            length fields, mutations of a real PAIR_HELLO / PAIR_CONFIRM, re-chunked anywhere)
 *   session  a paired device: the session responder (mutations of a real SESSION_HELLO, the hello
 *            replayed with junk behind it, and DATA/REKEY mutated inside a session the owner opened)
 *
 * After every case: no exception escaped (nothing thrown out of the link, the device never logged
 * "error:" or halted), the failed-attempt counter moved by at most one and never went down, the
 * device holds no timers or conversation beyond its own (memory stays bounded; the heap is checked
 * at the end), and the owner can still pair (pairing: pair, a session, DECOMMISSION, a press to
 * reopen the window) or open a session and echo (session).
 */
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import fc from "fast-check";
import { concatBytes, u64be, utf8Encode } from "../../../commissioner/bytes.ts";
import { FRAME } from "../../../commissioner/framing.ts";
import { generateKeyPair, type CipherState, type KeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { APP, openSession, type Session } from "../../../commissioner/session.ts";
import { boot, connect, frame, ready, shortPress, CODE, type Wire, type World } from "./harness.ts";

const T = 5000;
const WINDOW_MS = 900000;

export interface FuzzResult {
  target: "pairing" | "session";
  cases: number;
  /** Connections whose attempt the device counted. */
  counted: number;
  heapGrowthBytes: number;
}

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "cut"; at: number }
  | { kind: "extend"; bytes: Uint8Array }
  | { kind: "type"; type: number }
  | { kind: "length"; length: number }
  | { kind: "version"; version: number };

type Piece =
  | { kind: "random"; bytes: Uint8Array }
  | { kind: "frame"; type: number; body: Uint8Array }
  | { kind: "lying"; type: number; length: number; body: Uint8Array }
  | { kind: "mutant"; which: number; mutations: Mutation[] };

interface FuzzCase {
  pieces: Piece[];
  /** Where the bytes are cut into chunks (fractions of the whole). */
  cuts: number[];
  /** session target: open the owner's session first and fuzz inside it. */
  inSession: boolean;
  /** How the connection ends: closed by the peer, or left open until the device's deadlines fire. */
  end: "close" | "timeout";
}

const KNOWN = [FRAME.PAIR_HELLO, FRAME.PAIR_RESPONSE, FRAME.PAIR_CONFIRM, FRAME.PAIR_DONE, FRAME.SESSION_HELLO, FRAME.SESSION_ACCEPT, FRAME.DATA, FRAME.REKEY, FRAME.ERROR];

const bytesArb = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(1100), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat(1100) }),
  fc.record({ kind: fc.constant("extend" as const), bytes: bytesArb(40) }),
  fc.record({ kind: fc.constant("type" as const), type: fc.oneof(fc.constantFrom(...KNOWN), fc.nat(255)) }),
  fc.record({ kind: fc.constant("length" as const), length: fc.nat(0xffff) }),
  fc.record({ kind: fc.constant("version" as const), version: fc.nat(255) }),
);
const pieceArb: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("random" as const), bytes: bytesArb(300) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("frame" as const), type: fc.oneof(fc.constantFrom(...KNOWN), fc.nat(255)), body: fc.oneof(bytesArb(120), bytesArb(1030)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("lying" as const), type: fc.constantFrom(...KNOWN), length: fc.nat(0xffff), body: bytesArb(200) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("mutant" as const), which: fc.nat(15), mutations: fc.array(mutationArb, { minLength: 0, maxLength: 3 }) }) },
);
const caseArb = (inSessionToo: boolean): fc.Arbitrary<FuzzCase> => fc.record({
  pieces: fc.array(pieceArb, { minLength: 1, maxLength: 6 }),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
  inSession: inSessionToo ? fc.boolean() : fc.constant(false),
  end: fc.constantFrom("close" as const, "timeout" as const),
});

function mutate(f: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = f.slice();
  for (const m of ms) {
    if (m.kind === "flip") b[m.at % Math.max(1, b.length)] ^= 1 << m.bit;
    else if (m.kind === "cut") b = b.slice(0, m.at % (b.length + 1));
    else if (m.kind === "extend") b = concatBytes(b, m.bytes);
    else if (m.kind === "type" && b.length > 1) b[1] = m.type;
    else if (m.kind === "length" && b.length > 3) { b[2] = m.length >>> 8; b[3] = m.length & 255; }
    else if (m.kind === "version" && b.length > 0) b[0] = m.version;
  }
  return b;
}

function header(type: number, length: number): Uint8Array {
  return Uint8Array.of(1, type, length >>> 8, length & 255);
}

/** The case's byte string, re-chunked at its cut points. */
function chunksOf(c: FuzzCase, seeds: Uint8Array[]): Uint8Array[] {
  const parts = c.pieces.map((p) => {
    if (p.kind === "random") return p.bytes;
    if (p.kind === "frame") return frame(p.type, p.body.subarray(0, Math.min(p.body.length, 0xffff)));
    if (p.kind === "lying") return concatBytes(header(p.type, p.length), p.body);
    return mutate(seeds[p.which % seeds.length], p.mutations);
  });
  const all = concatBytes(...parts);
  const at = [...new Set(c.cuts.map((x) => Math.floor(x * all.length)))].filter((x) => x > 0 && x < all.length).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const x of at) { out.push(all.subarray(from, x)); from = x; }
  out.push(all.subarray(from));
  return out.filter((x) => x.length > 0);
}

/** DATA / REKEY frames sealed with a session's own sending keys (valid until mutated). */
function sealed(s: Session, n: number): Uint8Array[] {
  const cs = (s as unknown as { sendCs: CipherState }).sendCs;
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const counter = cs.n;
    const rekey = i === 1;
    const pt = rekey ? new Uint8Array(0) : i % 3 === 2 ? Uint8Array.of(APP.AUDIT_READ, 0, 0, 0, 0) : Uint8Array.of(APP.ECHO, i);
    out.push(frame(rekey ? FRAME.REKEY : FRAME.DATA, concatBytes(u64be(counter), cs.encryptWithAd(new Uint8Array(0), pt))));
    if (rekey) cs.rekey();
  }
  return out;
}

function heapNow(): number {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The owner pairs; returns its key and the device's public key. */
async function ownerPairs(w: World): Promise<{ me: KeyPair; dev: Uint8Array; wire: Wire }> {
  const me = generateKeyPair();
  const wire = connect(w);
  const r = await pair(wire.t, { code: CODE, identity: me, stepTimeoutMs: T });
  return { me, dev: r.devicePublicKey, wire };
}

async function ownerEchoes(w: World, me: KeyPair, dev: Uint8Array, after?: (s: Session) => Promise<void>): Promise<Wire> {
  const wire = connect(w);
  const s = await openSession(wire.t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const m = utf8Encode("owner");
  assert.deepEqual(await s.echo(m, T), m);
  if (after) await after(s);
  s.close();
  return wire;
}

/** Sends the case's chunks on `wire` and ends the connection; throws whatever escapes the device. */
function play(w: World, wire: Wire, chunks: Uint8Array[], end: FuzzCase["end"]): void {
  for (const ch of chunks) {
    if (wire.raw.isClosed()) break;
    wire.raw.send(ch);
    w.pump();
  }
  if (end === "close") wire.raw.close();
  w.pump();
  // Until the device ends the conversation on a deadline of its own (first frame 5 s, a pairing
  // step 60 s, an unconfirmed session 10 s), at most 61 s; an open session's idle timer is 10 min,
  // so close it after.
  for (let waited = 0; waited < 61000 && inConversation(w); waited += 1000) w.clock.advance(1000);
  wire.raw.close();
  w.pump();
}

function inConversation(w: World): boolean {
  const s = w.device.state();
  return s === "pairing" || s === "session";
}

/** Runs `fn`; a failure carries the device's last log lines. */
async function withLogs<T>(w: World, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new Error(what + ": " + String(e) + "\n  device log: " + w.logs.slice(-8).join("\n  device log: "), { cause: e });
  }
}

function checkQuiet(w: World, logFrom: number, what: string): void {
  const bad = w.logs.slice(logFrom).filter((l) => l.startsWith("error:") || l.startsWith("halted"));
  assert.deepEqual(bad, [], what + ": an exception reached the device's top level");
  assert.ok(w.device.state() !== "halted" && w.device.state() !== "pairing" && w.device.state() !== "session", what + ": the conversation outlived its connection (" + w.device.state() + ")");
  // The device's own timers: the gate's reseed, the window, the LED, the button; no leftovers per case.
  assert.ok(w.clock.pending() <= 8, what + ": " + w.clock.pending() + " timers pending");
}

export async function fuzzPairing(cases: number, seed: number): Promise<FuzzResult> {
  const w = ready(boot({ windowMs: WINDOW_MS, trngSeed: "frame fuzz pairing " + seed }));
  // Real frames to mutate: a pairing and a session, as the owner sent them.
  const first = await ownerPairs(w);
  const sess = await ownerEchoes(w, first.me, first.dev, (s) => s.decommission(T));
  shortPress(w);
  const seeds = [...first.wire.sent, ...sess.sent].filter((b) => b.length >= 4);
  let run = 0, counted = 0, heap0 = 0;
  const hello = first.wire.sent[0];
  await fc.assert(fc.asyncProperty(caseArb(false), fc.boolean(), async (c, helloFirst) => {
    run++;
    if (run === 20) heap0 = heapNow();
    const what = "pairing case " + run;
    if (w.device.state() !== "window-open") shortPress(w);
    assert.equal(w.device.state(), "window-open", what);
    const before = w.device.status().failedAttempts, logFrom = w.logs.length;
    const chunks = chunksOf(c, seeds);
    // Half the cases start with a real PAIR_HELLO, so the junk meets an attempt in progress.
    if (helloFirst) chunks.unshift(hello);
    play(w, connect(w), chunks, c.end);
    const after = w.device.status().failedAttempts;
    assert.ok(after >= before && after <= before + 1, what + ": the counter went " + before + " → " + after);
    counted += after - before;
    checkQuiet(w, logFrom, what);
    // The owner still pairs (which resets the counter), opens a session, and gives the device back.
    if (w.device.state() !== "window-open") shortPress(w);
    await withLogs(w, what + ", then the owner", async () => {
      const o = await ownerPairs(w);
      assert.equal(w.device.status().failedAttempts, 0);
      await ownerEchoes(w, o.me, o.dev, (s) => s.decommission(T));
    });
    shortPress(w);
  }), { numRuns: cases, seed, endOnFailure: true });
  const growth = heapNow() - heap0;
  w.device.stop();
  return { target: "pairing", cases: run, counted, heapGrowthBytes: growth };
}

export async function fuzzSession(cases: number, seed: number): Promise<FuzzResult> {
  const w = ready(boot({ windowMs: WINDOW_MS, trngSeed: "frame fuzz session " + seed }));
  const { me, dev, wire: pw } = await ownerPairs(w);
  const sw = await ownerEchoes(w, me, dev, async (s) => { await s.readAudit(0, T); await s.rekey(); });
  const seeds = [...pw.sent, ...sw.sent].filter((b) => b.length >= 4);
  const hello = sw.sent[0];
  let run = 0, heap0 = 0;
  await fc.assert(fc.asyncProperty(caseArb(true), fc.boolean(), async (c, replayFirst) => {
    run++;
    if (run === 20) heap0 = heapNow();
    const what = "session case " + run;
    const before = w.device.status().failedAttempts, logFrom = w.logs.length;
    const wire = connect(w);
    let chunks: Uint8Array[];
    if (c.inSession) {
      // Inside a session the owner opened: its own sealed frames, mutated, among the junk.
      const s = await openSession(wire.t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
      chunks = chunksOf(c, sealed(s, 4));
    } else {
      chunks = chunksOf(c, seeds);
      if (replayFirst) chunks.unshift(hello);
    }
    play(w, wire, chunks, c.end);
    assert.equal(w.device.status().failedAttempts, before, what + ": a paired device counts no attempts");
    assert.equal(w.device.status().paired, true, what);
    checkQuiet(w, logFrom, what);
    await withLogs(w, what + ", then the owner", () => ownerEchoes(w, me, dev));
  }), { numRuns: cases, seed, endOnFailure: true });
  const growth = heapNow() - heap0;
  w.device.stop();
  return { target: "session", cases: run, counted: 0, heapGrowthBytes: growth };
}
