/**
 * Parses one page (docs/flash-format.md §1, §2, §5), read through a window of at most WINDOW bytes
 * (window.ts): bytes in, what is there out. A record header that fails its checks is skipped by
 * resynchronising on the next unit holding a valid header; the skipped span is torn (an
 * interrupted write) when only erased bytes follow it, and damaged otherwise.
 */
import {
  COMMIT, FORMAT_VERSION, IN_USE_MARK, KEY_ROTATED, PAGE_HEADER, REC_HEADER, SHRED_MARK, SLOT_A, SLOT_B, TYPE_DATA, TYPE_KEY, UNIT,
  be32, checkRecordHeader, decodePartA, partBVersion, decodeSlot, isZero, partBFloor, partBType, partBValue, recordSize, roundUnit,
  SLOT, type KeySlot,
} from "./format";
import { view } from "../crypto/bytes";
import { bufferWindow, spanErased, WINDOW, type PageWindow } from "./window";

export var PG_BLANK = 0; // all 0xFF
export var PG_FREE = 1; // erased, valid part A, no role
export var PG_DIRTY = 2; // anything else without a valid role: erase before use
export var PG_DATA = 3;
export var PG_KEY = 4;

export interface ScannedRecord {
  off: number;
  size: number;
  kind: number;
  version: number;
  generation: number;
  /** Name tag as 16 hex digits. */
  tag: string;
  /** The commit unit has a cleared bit: the commit program began, so the body was complete. */
  committed: boolean;
}

export interface PageScan {
  state: number;
  /** From part A, or -1 when part A is not valid. */
  erases: number;
  /** Part B's value: a data page's sequence, a key page's generation. */
  value: number;
  /** Data pages: the version counter when the page was opened (0 when part B is damaged). */
  floor: number;
  /** Data pages: the write pointer (first unit of the erased tail). */
  end: number;
  records: ScannedRecord[];
  damaged: number[];
  torn: number;
  /** Key pages. */
  slot: KeySlot | null;
  shredMark: boolean;
  /** Key pages: part B's floor field is KEY_ROTATED (the page was written by a key rotation, §9). */
  rotation: boolean;
  /** Part B was not valid but the page was recognised by its slots or first record. */
  headerDamaged: boolean;
  /** Key pages: a record has been written under this key page (the in-use mark, §3). */
  inUse: boolean;
  /** A valid part B of another format version (a store written by other firmware, §10). */
  otherFormat: number;
}

var HEX = "0123456789abcdef";

export function hex(b: Uint8Array, start: number, end: number): string {
  var s = "";
  for (var i = start; i < end; i++) s += HEX.charAt(b[i] >> 4) + HEX.charAt(b[i] & 15);
  return s;
}

/** The first unit boundary after the last programmed byte of page bytes [from … P). */
function tailStart(w: PageWindow, from: number): number {
  for (var s = w.size; s > from; ) {
    var a = Math.max(from, s - WINDOW), i = w.span(a, s - a), b = w.buf;
    for (var k = i + (s - a); k > i; k--) if (b[k - 1] !== 0xff) return roundUnit(a + (k - i));
    s = a;
  }
  return from;
}

/** The sealed length of a valid record header at page offset o (0 when there is none, or no room for one). */
function headerAt(w: PageWindow, o: number): number {
  if (w.size - o < REC_HEADER + COMMIT) return 0;
  var i = w.span(o, REC_HEADER); // before w.buf is read: a span may replace the buffer
  return checkRecordHeader(w.buf, i, w.size - o);
}

/** The offset of the first unit from byte 32 that holds a valid record header, or 0. */
function firstHeader(w: PageWindow): number {
  for (var o = PAGE_HEADER; o + REC_HEADER + COMMIT <= w.size; o += UNIT) if (headerAt(w, o) > 0) return o;
  return 0;
}

function hasZeroUnit(w: PageWindow, from: number, to: number): boolean {
  for (var o = from; o + UNIT <= to; o += UNIT) {
    var i = w.span(o, UNIT);
    if (isZero(w.buf, i, i + UNIT)) return true;
  }
  return false;
}

function zeroUnitAt(w: PageWindow, o: number): boolean {
  var i = w.span(o, UNIT);
  return isZero(w.buf, i, i + UNIT);
}

function slotAt(w: PageWindow, o: number): KeySlot | null {
  var i = w.span(o, SLOT);
  return decodeSlot(w.buf, i);
}

/** Parses a page held whole in RAM (tests and tools); the slot is a view into b. */
export function scanPage(b: Uint8Array, P: number): PageScan {
  return scanWindow(bufferWindow(b, P));
}

/**
 * Parses the page a window shows, reading it in spans of at most WINDOW bytes. A key slot in the
 * result is a view into the window's buffer: valid until the window moves or is closed.
 */
export function scanWindow(w: PageWindow): PageScan {
  var P = w.size, i0 = w.span(0, PAGE_HEADER), h = view(w.buf, i0, i0 + PAGE_HEADER);
  var out: PageScan = {
    state: PG_DIRTY, erases: decodePartA(h), value: 0, floor: 0, end: PAGE_HEADER, records: [], damaged: [], torn: 0,
    slot: null, shredMark: false, rotation: false, headerDamaged: false, inUse: false, otherFormat: 0,
  };
  var fv = partBVersion(h);
  if (fv !== 0 && fv !== FORMAT_VERSION) {
    out.otherFormat = fv;
    return out;
  }
  var type = partBType(h), rotated = type === TYPE_KEY && partBFloor(h) === KEY_ROTATED;
  out.value = partBValue(h);
  out.floor = type === TYPE_DATA ? partBFloor(h) : 0;
  if (type === 0) {
    if (spanErased(w, 0, P)) out.state = PG_BLANK;
    else if (out.erases >= 0 && spanErased(w, 16, P)) out.state = PG_FREE;
    else if (out.erases >= 0) {
      // A damaged part B under a valid part A: the page is still recognised by what follows it.
      // (Without part A it is more likely a torn erase, whose records all exist elsewhere.)
      var ks = slotAt(w, SLOT_A) || slotAt(w, SLOT_B);
      if (ks) {
        type = TYPE_KEY;
        out.value = ks.generation;
      } else if (firstHeader(w) > 0) {
        type = TYPE_DATA;
        out.value = 0;
      } else if (!spanErased(w, PAGE_HEADER, P)) {
        out.headerDamaged = true; // programmed, but nothing in it can be read
        return out;
      } else return out;
      out.headerDamaged = true;
    }
    if (type === 0) return out;
  }
  if (type === TYPE_KEY) {
    out.state = PG_KEY;
    out.shredMark = zeroUnitAt(w, SHRED_MARK);
    out.inUse = zeroUnitAt(w, IN_USE_MARK);
    out.rotation = rotated;
    out.slot = slotAt(w, SLOT_A) || slotAt(w, SLOT_B);
    return out;
  }
  if (type !== TYPE_DATA) return out;
  out.state = PG_DATA;
  var end = tailStart(w, PAGE_HEADER), off = PAGE_HEADER;
  while (off < end) {
    var len = headerAt(w, off);
    if (len > 0) {
      var c = off + REC_HEADER + roundUnit(len), i = w.span(off, REC_HEADER), b = w.buf;
      var rec: ScannedRecord = {
        off: off, size: recordSize(len), kind: b[i], version: be32(b, i + 4), generation: be32(b, i + 8),
        tag: hex(b, i + 12, i + 20), committed: false,
      };
      rec.committed = !spanErased(w, c, c + COMMIT);
      out.records.push(rec);
      off = c + COMMIT;
      continue;
    }
    var o = off + UNIT;
    while (o < end && headerAt(w, o) === 0) o += UNIT;
    if (o >= end) {
      // An interrupted write at the tail leaves at most a record header: a header is always
      // programmed alone, before anything after it. A span that reaches past a header's length,
      // or holds a commit unit, is a damaged record instead.
      if (end > off + REC_HEADER || hasZeroUnit(w, off, end)) out.damaged.push(off);
      else out.torn++;
      off = end;
      break;
    }
    out.damaged.push(off);
    off = o;
  }
  // An uncommitted record whose last bytes are still 0xFF keeps its whole extent.
  out.end = off > end ? off : end;
  return out;
}
