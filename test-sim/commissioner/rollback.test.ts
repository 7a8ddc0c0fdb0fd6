/** commissioner/rollback.ts observedIn: what one audit read shows about the device's marks (docs/flash-format.md §8). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { observedIn } from "../../commissioner/rollback.ts";
import type { AuditRecord, AuditReport } from "../../commissioner/session.ts";

function entry(seq: number, event: number, detail: number[] = []): AuditRecord {
  const raw = new Uint8Array(32);
  new DataView(raw.buffer).setUint32(0, seq);
  raw[10] = event;
  raw.set(detail, 11);
  return { seq, boot: 0, seconds: 0, event, detail: raw.slice(11, 16), raw };
}
const report = (entries: AuditRecord[]): AuditReport =>
  ({ verdict: "ok", firstBad: -1, entries, highestSeq: entries.length ? entries[entries.length - 1].seq : -1 }) as AuditReport;
const hex = (e: AuditRecord) => Buffer.from(e.raw).toString("hex");
const BOOT = (seq: number, g: number) => entry(seq, 1, [1, 0, 0, 0, g]);
const ROTATED = (seq: number, g: number) => entry(seq, 13, [0, 0, 0, g]);

test("generations from BOOT and STORAGE_KEY_ROTATED; the newest entry and its bytes; a reset starts a new life", () => {
  const e = [BOOT(0, 0), entry(1, 2), ROTATED(2, 1), BOOT(3, 1), entry(4, 14), BOOT(5, 0)];
  const o = observedIn(report(e), -1, "", -1);
  assert.deepEqual([o.auditSeq, o.auditEntry, o.storeGeneration, o.problem], [5, hex(e[5]), 0, null]);
  assert.equal(observedIn(report([entry(7, 9)]), -1, "", 3).storeGeneration, -1, "no generation shown");
});

test("refused: the marked entry missing, replaced or skipped over; a generation going down within one life", () => {
  const mark = entry(4, 9, [1, 2, 3, 4]);
  assert.equal(observedIn(report([mark, BOOT(5, 2)]), 4, hex(mark), 2).problem, null);
  assert.match(observedIn(report([]), 4, hex(mark), 2).problem!, /no audit entry 4 or later/);
  assert.match(observedIn(report([entry(4, 9, [9]), BOOT(5, 2)]), 4, hex(mark), 2).problem!, /entry 4 differs/);
  assert.match(observedIn(report([BOOT(6, 2)]), 4, hex(mark), 2).problem!, /entry 4 is gone/);
  assert.match(observedIn(report([mark, BOOT(5, 3), BOOT(6, 2)]), 4, hex(mark), 2).problem!, /generation 2 \(audit entry 6\) after 3/);
  assert.match(observedIn(report([mark, BOOT(5, 1)]), 4, hex(mark), 2).problem!, /generation 1 \(audit entry 5\) after 2/);
});

test("refused: a FACTORY_RESET or DECOMMISSIONED entry at or after the mark (the session authenticated with the wiped identity)", () => {
  const mark = entry(4, 9, [1, 2, 3, 4]);
  for (const ev of [14, 15]) {
    assert.match(observedIn(report([mark, entry(5, ev), BOOT(6, 2)]), 4, hex(mark), 2).problem!, /(factory reset|decommission).*audit entry 5/);
    const atMark = entry(4, ev);
    assert.match(observedIn(report([atMark, BOOT(5, 2)]), 4, hex(atMark), 2).problem!, /audit entry 4/);
    // No mark yet (the first session after pairing): resets before the newest PAIRING_OK belong to
    // earlier lives; one after it is refused.
    assert.equal(observedIn(report([BOOT(0, 1), entry(1, ev), BOOT(2, 2), entry(3, 6), BOOT(4, 3)]), -1, "", -1).problem, null);
    assert.match(observedIn(report([BOOT(0, 1), entry(1, 6), entry(2, ev), BOOT(3, 1)]), -1, "", -1).problem!, /audit entry 2/);
  }
});
