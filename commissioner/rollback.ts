/**
 * The commissioner's rollback check (docs/flash-format.md §8). A device has no monotonic counter,
 * so restoring an older image of its flash undoes a decommission, a storage-key rotation or a
 * run of failed attempts, and the device cannot tell. The commissioner can: at every session it
 * reads the device's audit trail from the newest entry it saw last time (the registry keeps its
 * sequence number and its 32 bytes). That entry must come back first and unchanged: a trail
 * restored from an older image and written on from there has other entries at those sequence
 * numbers (other boot numbers, times, events; each tag chains every entry before it), however many
 * entries the device adds to catch up. A store key generation going down is refused too.
 *
 * A FACTORY_RESET or DECOMMISSIONED entry at or after the mark is refused too: a device really
 * reset has no pairing and a new identity, so it cannot open a session as the registered one.
 *
 * Store generations come from BOOT entries (detail 01 ‖ generation u32) and STORAGE_KEY_ROTATED
 * entries (generation u32). Within one life of the device (up to a FACTORY_RESET or
 * DECOMMISSIONED entry) they never decrease.
 */
import type { AuditReport, Session } from "./session.ts";
import type { DeviceRecord, DeviceRecords } from "./device-records.ts";
import { toHex } from "./bytes.ts";
import { CommissionerError } from "./errors.ts";

const EVENT_BOOT = 1, EVENT_PAIRING_OK = 6, EVENT_STORAGE_KEY_ROTATED = 13, EVENT_FACTORY_RESET = 14, EVENT_DECOMMISSIONED = 15;

const u32 = (d: Uint8Array, o: number) => ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;

export interface Observed {
  /** The device's highest audit sequence number (-1: no entry at or above the one asked for). */
  auditSeq: number;
  /** That entry (32 bytes, hex), or ''. */
  auditEntry: string;
  /** The store generation of its current life, or -1 when the entries read do not show it. */
  storeGeneration: number;
  /** A generation that went down within one life in the entries read, or null. */
  problem: string | null;
}

const hex = toHex;

/**
 * What an audit read from the recorded mark (`seq`, the entry `entry` in hex; -1 and '' for none)
 * shows; `known` is the recorded generation.
 */
export function observedIn(report: AuditReport, seq: number, entry: string, known: number): Observed {
  let gen = -1, max = known, problem: string | null = null;
  const first = report.entries[0];
  if (seq >= 0) {
    if (!first) problem = `the device has no audit entry ${seq} or later (it showed ${seq} before)`;
    else if (first.seq !== seq) problem = `audit entry ${seq} is gone (the trail starts at ${first.seq}): it cannot be shown to continue the one seen before`;
    else if (entry !== "" && hex(first.raw) !== entry) problem = `audit entry ${seq} differs from the one seen before: the trail was rewritten from an older image`;
  }
  // A reset in the entries this authenticated session read: the wiped identity is talking, so the
  // store pages were restored from before the reset. With a mark, any reset at or after it; without
  // one (the first session after pairing), a reset after the newest PAIRING_OK (none read: the
  // trail wrapped past the pairing, and nothing is judged).
  let reset: { seq: number; event: number } | null = null, pairingSeen = false;
  for (const e of report.entries) {
    if (e.event === EVENT_PAIRING_OK && seq < 0) {
      reset = null;
      pairingSeen = true;
    }
    if (e.event === EVENT_FACTORY_RESET || e.event === EVENT_DECOMMISSIONED) {
      if (reset === null && (seq >= 0 ? e.seq >= seq : pairingSeen)) reset = { seq: e.seq, event: e.event };
      gen = -1;
      max = -1;
      continue;
    }
    let g = -1;
    if (e.event === EVENT_BOOT && e.detail[0] === 1) g = u32(e.detail, 1);
    else if (e.event === EVENT_STORAGE_KEY_ROTATED) g = u32(e.detail, 0);
    if (g < 0) continue;
    if (g < max && problem === null) problem = `store key generation ${g} (audit entry ${e.seq}) after ${max}`;
    if (g > max) max = g;
    gen = g;
  }
  if (reset !== null && problem === null)
    problem = `a ${reset.event === EVENT_FACTORY_RESET ? "factory reset" : "decommission"} (audit entry ${reset.seq}) wiped the identity this session authenticated with: the store pages were restored from before it`;
  const last = report.entries[report.entries.length - 1];
  return { auditSeq: report.highestSeq, auditEntry: last ? hex(last.raw) : "", storeGeneration: gen, problem };
}

/**
 * Reads the trail from the recorded mark and has the device records check and raise their marks.
 * Throws CommissionerError DEVICE_ROLLBACK (the records keep the refusal) when the device went backwards.
 */
export async function checkRollback(s: Session, records: DeviceRecords, rec: DeviceRecord, timeoutMs: number | undefined): Promise<Observed> {
  const report = await s.readAudit(Math.max(0, rec.auditSeqHigh), timeoutMs);
  if (report.verdict === "none") {
    if (rec.auditSeqHigh < 0) return { auditSeq: -1, auditEntry: "", storeGeneration: -1, problem: null };
    report.highestSeq = -1; // it kept a trail before: an absent one is below the mark
  }
  const seen = observedIn(report, rec.auditSeqHigh, rec.auditEntryHigh, rec.storeGenerationHigh);
  try {
    await records.observe(rec.id, seen);
  } catch (e) {
    throw new CommissionerError("DEVICE_ROLLBACK", (e as Error).message);
  }
  return seen;
}
