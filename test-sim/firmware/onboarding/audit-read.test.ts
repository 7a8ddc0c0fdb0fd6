/**
 * The commissioner's side of AUDIT_READ (commissioner/session.ts readAudit) against a device whose
 * audit trail is a scripted double (DeviceOptions.audit): paging by `from`, and a device that hands
 * out a trail with a hole in it is caught (SESSION_AUDIT_GAP).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession } from "../../../commissioner/session.ts";
import type { AuditPage, DeviceAudit } from "../../../firmware/onboarding/audit-trail.ts";
import { boot, connect, ready, CODE } from "./harness.ts";

const T = 3000;

function entry(seq: number, event: number): Uint8Array {
  const e = new Uint8Array(32);
  new DataView(e.buffer).setUint32(0, seq);
  e[10] = event;
  e[16] = seq & 255; // a stand-in tag
  return e;
}

/** A DeviceAudit double holding `seqs` (as stored) and recording every read. */
function scripted(seqs: number[]): DeviceAudit & { reads: number[][] } {
  const reads: number[][] = [];
  return {
    reads,
    enabled: () => true,
    boot: () => 0,
    record: () => {},
    read: (from: number, max: number): AuditPage => {
      reads.push([from, max]);
      const all = seqs.filter((s) => s >= from);
      return { verdict: { ok: true, count: seqs.length, firstBad: -1, reason: "", tornTail: false }, items: all.slice(0, max).map((s) => entry(s, 9)), more: all.length > max };
    },
    erase: () => {},
    close: () => {},
  };
}

async function readWith(seqs: number[], from = 0) {
  const audit = scripted(seqs);
  const w = ready(boot({ audit }));
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T });
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const r = await s.readAudit(from, T).then((x) => x, (e) => e);
  s.close();
  w.device.stop();
  return { r, reads: audit.reads };
}

test("readAudit pages 31 at a time, asking again from the last sequence number + 1", async () => {
  const seqs = Array.from({ length: 70 }, (_, i) => 5 + i);
  const { r, reads } = await readWith(seqs);
  assert.deepEqual(r.entries.map((e: { seq: number }) => e.seq), seqs);
  assert.equal(r.highestSeq, 74);
  assert.deepEqual(reads, [[0, 31], [36, 31], [67, 31]]);
  const tail = await readWith(seqs, 60);
  assert.deepEqual(tail.r.entries.map((e: { seq: number }) => e.seq), seqs.filter((s) => s >= 60));
  assert.equal(tail.r.gap, null, "the first entry is the one asked for");
});

test("a first entry that is not the `from` asked for is reported as a gap (entries pushed out or erased)", async () => {
  // 0 … 4 are gone from the device: a read from 0 gets 5 … 74 and must not look complete.
  const seqs = Array.from({ length: 70 }, (_, i) => 5 + i);
  const { r } = await readWith(seqs);
  assert.deepEqual(r.gap, { from: 0, first: 5 });
  // An incremental read from the highest number kept + 1, after a flood pushed entries out.
  const flooded = await readWith(Array.from({ length: 10 }, (_, i) => 130 + i), 10);
  assert.deepEqual(flooded.r.gap, { from: 10, first: 130 });
  assert.equal(flooded.r.entries.length, 10);
  // Nothing newer than `from`: nothing is missing.
  const none = await readWith([0, 1, 2], 3);
  assert.equal(none.r.gap, null);
  assert.equal(none.r.entries.length, 0);
});

test("a trail with a hole, or entries before the requested start, is SESSION_AUDIT_GAP", async () => {
  const hole = await readWith([0, 1, 2, 4, 5]);
  assert.equal(hole.r.code, "SESSION_AUDIT_GAP");
  const hole2 = await readWith(Array.from({ length: 40 }, (_, i) => (i < 31 ? i : i + 1)));
  assert.equal(hole2.r.code, "SESSION_AUDIT_GAP", "a hole at a page boundary");
  // A device ignoring `from`: an old entry handed out again.
  const audit = scripted([0, 1, 2]);
  audit.read = (): AuditPage => ({ verdict: { ok: true, count: 3, firstBad: -1, reason: "", tornTail: false }, items: [entry(0, 1)], more: false });
  const w = ready(boot({ audit }));
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T });
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const e = await s.readAudit(2, T).then(() => null, (x) => x);
  assert.equal(e?.code, "SESSION_AUDIT_GAP");
  w.device.stop();
});

test("the real device trail reads back whole (sanity for the double's layout)", async () => {
  const w = ready(boot());
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T });
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T });
  const r = await s.readAudit(0, T);
  s.close();
  w.device.stop();
  assert.deepEqual(r.entries.map((e) => e.seq), [0, 1, 2, 3, 4]);
});
