/**
 * The audit trail: an append-only, hash-chained, MACed log of key events in its own flash pages.
 * Entries carry event codes and small non-secret details (counts, error codes, key ids = hash
 * prefixes of public keys), never key material. Format: docs/audit-format.md.
 *
 *   tag_i = HMAC-SHA256(auditKey, tag_{i-1} ‖ entry_i[0..16))[0..16)
 *
 * Without the audit key, editing, inserting or deleting an entry (or a whole page in the middle)
 * breaks the chain at that point; `verify` reports where.
 */
import type { Flash } from "../../hal/flash";
import { hmacSha256 } from "../crypto/hmac";
import { ctEqual, wipe, view } from "../crypto/bytes";
import { fail } from "../errors";

export var AUDIT_MAGIC = [0x46, 0x4c, 0x41, 0x31]; // "FLA1"
export var AUDIT_HEADER = 48;
export var AUDIT_ENTRY = 32;

/** Event codes (docs/audit-format.md §3). */
export var AuditEvent = {
  BOOT: 1,
  ENTROPY_READY: 2,
  ENTROPY_FAILED: 3,
  KEY_GENERATED: 4,
  KEY_DESTROYED: 5,
  PAIRING_OK: 6,
  PAIRING_FAILED: 7,
  PAIRING_LOCKED: 8,
  SESSION_OPENED: 9,
  SESSION_REKEYED: 10,
  IDENTITY_ROTATION_BEGIN: 11,
  IDENTITY_ROTATED: 12,
  STORAGE_KEY_ROTATED: 13,
  FACTORY_RESET: 14,
  DECOMMISSIONED: 15,
  STORE_DAMAGE: 16,
  ENTROPY_ALARM: 17,
};

export interface AuditEntry {
  seq: number;
  boot: number;
  seconds: number;
  event: number;
  /** 5 bytes of event detail (never key material). */
  detail: Uint8Array;
  /** The 32 bytes as stored (fields ‖ tag), for a reader that forwards the trail (AUDIT_READ). */
  raw: Uint8Array;
}

export interface AuditVerdict {
  ok: boolean;
  /** Entries that verified (named `count`: `.entries` is not allowed in an ES5 image, build/compat-gate.ts). */
  count: number;
  /** Sequence number of the first entry that failed its tag, or -1. */
  firstBad: number;
  /** Why the chain broke ("tag", "sequence gap", "page order"), or "". */
  reason: string;
  /** The last entry written failed its tag: a torn write (power cut), skipped. Indistinguishable from tampering with that one entry. */
  tornTail: boolean;
}

function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24; b[o + 1] = (v >>> 16) & 255; b[o + 2] = (v >>> 8) & 255; b[o + 3] = v & 255;
}
function isErased(b: Uint8Array): boolean {
  for (var i = 0; i < b.length; i++) if (b[i] !== 0xff) return false;
  return true;
}
function chainTag(key: Uint8Array, prev: Uint8Array, body: Uint8Array): Uint8Array {
  var m = new Uint8Array(32);
  m.set(prev, 0);
  m.set(view(body, 0, 16), 16);
  return view(hmacSha256(key, m), 0, 16);
}

/**
 * An audit log over `flash` (≥ 2 pages of its own). `key` is the 32-byte audit key; the log keeps a
 * copy and `close()` wipes it. `onMount` sees each entry that verified during the mount walk (so a
 * caller that needs e.g. the last boot number does not walk, and HMAC, the whole log twice).
 */
export function AuditLog(flash: Flash, key: Uint8Array, onMount?: (e: AuditEntry) => void) {
  if (flash.pageCount < 2) fail("AUDIT_BAD_CONFIG", "the audit log needs at least 2 flash pages");
  if (AUDIT_ENTRY % flash.writeSize !== 0) fail("AUDIT_BAD_CONFIG", "write size " + flash.writeSize + " does not divide an entry");
  var k = new Uint8Array(32);
  k.set(key);
  var slots = (flash.pageSize - AUDIT_HEADER) / AUDIT_ENTRY | 0;
  // Mount state: the newest page, the next free slot in it, the last tag and sequence number.
  var headPage = -1, headPageSeq = 0, nextSlot = 0, lastTag: Uint8Array = new Uint8Array(16), nextSeq = 0;

  function pageSeq(page: number): number {
    var h = flash.read(page * flash.pageSize, AUDIT_HEADER);
    if (!h || h[0] !== AUDIT_MAGIC[0] || h[1] !== AUDIT_MAGIC[1] || h[2] !== AUDIT_MAGIC[2] || h[3] !== AUDIT_MAGIC[3]) return -1;
    return be32(h, 16);
  }

  /** Pages holding a log page, oldest first. */
  function orderedPages(): number[] {
    var pages: number[] = [], seqs: number[] = [];
    for (var p = 0; p < flash.pageCount; p++) {
      var s = pageSeq(p);
      if (s < 0) continue;
      var i = pages.length;
      while (i > 0 && seqs[i - 1] > s) i--;
      pages.splice(i, 0, p);
      seqs.splice(i, 0, s);
    }
    return pages;
  }

  /**
   * Walks the whole log, checking the chain; `visit` sees each valid entry. Updates the mount state.
   * An entry that fails its tag is a torn write (power cut) only if the next valid entry chains from
   * the last good tag, or if it is the single last entry written; anything else is tampering.
   */
  function walk(visit: ((e: AuditEntry) => void) | null): AuditVerdict {
    var pages = orderedPages();
    var verdict: AuditVerdict = { ok: true, count: 0, firstBad: -1, reason: "", tornTail: false };
    var prev: Uint8Array = new Uint8Array(16), expectSeq = -1, lastPageSeq = -1, invalid = 0, firstInvalid = -1;
    function bad(reason: string, seq: number): void {
      if (verdict.ok) { verdict.ok = false; verdict.reason = reason; verdict.firstBad = seq; }
    }
    headPage = -1; nextSlot = 0;
    for (var pi = 0; pi < pages.length; pi++) {
      var page = pages[pi], base = page * flash.pageSize;
      var header = flash.read(base, AUDIT_HEADER) as Uint8Array;
      var ps = be32(header, 16);
      if (lastPageSeq >= 0 && ps !== lastPageSeq + 1) bad("page order", expectSeq);
      lastPageSeq = ps;
      // The chain value carried into the oldest page is taken from its header (older pages were recycled).
      if (pi === 0) prev = view(header, 32, 48);
      headPage = page; headPageSeq = ps; nextSlot = slots;
      for (var s = 0; s < slots; s++) {
        var raw = flash.read(base + AUDIT_HEADER + s * AUDIT_ENTRY, AUDIT_ENTRY) as Uint8Array;
        if (isErased(raw)) { nextSlot = s; break; }
        var seq = be32(raw, 0);
        if (!ctEqual(chainTag(k, prev, raw), view(raw, 16, 32))) {
          if (invalid++ === 0) firstInvalid = expectSeq < 0 ? seq : expectSeq;
          continue;
        }
        // One failing entry before a good one is a torn write; two or more in a row are not (a power
        // cut tears at most the entry being written, and the next append goes to the next slot):
        // without this, the first append after an edit would re-chain over the edited entries.
        if (invalid > 1) bad("tag", firstInvalid);
        invalid = 0;
        if (expectSeq >= 0 && seq !== expectSeq) bad("sequence gap", seq);
        expectSeq = seq + 1;
        prev = view(raw, 16, 32);
        verdict.count++;
        if (visit) visit({ seq: seq, boot: (raw[4] << 8) | raw[5], seconds: be32(raw, 6), event: raw[10], detail: view(raw, 11, 16), raw: raw });
      }
    }
    if (invalid === 1) verdict.tornTail = true;
    else if (invalid > 1) bad("tag", firstInvalid);
    lastTag = new Uint8Array(16);
    lastTag.set(prev);
    nextSeq = expectSeq < 0 ? 0 : expectSeq;
    return verdict;
  }

  function startPage(prevTag: Uint8Array): void {
    var pages = orderedPages();
    var target: number;
    if (pages.length < flash.pageCount) {
      // An unused page first: the lowest index not holding a log page.
      for (target = 0; target < flash.pageCount; target++) if (pages.indexOf(target) < 0) break;
    } else {
      target = pages[0]; // the oldest page is recycled
    }
    var seq = headPage < 0 ? 0 : headPageSeq + 1;
    if (flash.erase(target) !== null) fail("AUDIT_FLASH", "erasing audit page " + target + " failed");
    // Body first, then the commit block with the magic: a page whose header was torn has no magic
    // and is simply unused (docs/audit-format.md §1).
    var body = new Uint8Array(32), commit = new Uint8Array(16), i: number;
    for (i = 0; i < 32; i++) body[i] = 0xff;
    for (i = 0; i < 16; i++) commit[i] = 0xff;
    put32(body, 0, seq);
    body.set(prevTag, 16);
    commit[0] = AUDIT_MAGIC[0]; commit[1] = AUDIT_MAGIC[1]; commit[2] = AUDIT_MAGIC[2]; commit[3] = AUDIT_MAGIC[3];
    var base = target * flash.pageSize;
    if (flash.program(base + 16, body) !== null || flash.program(base, commit) !== null) fail("AUDIT_FLASH", "writing the header of audit page " + target + " failed");
    headPage = target; headPageSeq = seq; nextSlot = 0;
  }

  var mounted = walk(onMount || null);

  return {
    /** The verdict found at mount (or by the last `verify`). */
    mountVerdict: mounted,

    /** Appends one event. `detail` is at most 5 non-secret bytes. */
    append: function (event: number, boot: number, seconds: number, detail?: Uint8Array): number {
      if (event < 1 || event > 255 || event % 1 !== 0) fail("AUDIT_BAD_EVENT", "event code " + event + " is not 1 … 255");
      if (detail && detail.length > 5) fail("AUDIT_BAD_EVENT", "an audit detail is at most 5 bytes");
      if (headPage < 0 || nextSlot >= slots) startPage(lastTag);
      var e = new Uint8Array(AUDIT_ENTRY);
      put32(e, 0, nextSeq);
      e[4] = (boot >>> 8) & 255; e[5] = boot & 255;
      put32(e, 6, Math.max(0, Math.min(0xffffffff, Math.floor(seconds))));
      e[10] = event;
      if (detail) e.set(detail, 11);
      var tag = chainTag(k, lastTag, e);
      e.set(tag, 16);
      if (flash.program(headPage * flash.pageSize + AUDIT_HEADER + nextSlot * AUDIT_ENTRY, e) !== null) fail("AUDIT_FLASH", "writing an audit entry failed");
      lastTag = tag;
      nextSlot++;
      return nextSeq++;
    },

    /** Reads and checks the whole log; `visit` sees each entry that verified, oldest first. */
    verify: function (visit?: (e: AuditEntry) => void): AuditVerdict {
      return walk(visit || null);
    },

    /** Erases every audit page (factory reset on a board whose audit key dies with the store root). */
    erase: function (): void {
      for (var p = 0; p < flash.pageCount; p++) if (flash.erase(p) !== null) fail("AUDIT_FLASH", "erasing audit page " + p + " failed");
      walk(null);
    },

    close: function (): void {
      wipe(k);
    },
  };
}

export type AuditLogT = ReturnType<typeof AuditLog>;
