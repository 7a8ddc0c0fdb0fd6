/**
 * Parses one page (docs/flash-format.md §1, §2, §5). Pure: bytes in, what is there out. A record
 * header that fails its checks is skipped by resynchronising on the next unit holding a valid
 * header; the skipped span is torn (an interrupted write) when only erased bytes follow it, and
 * damaged otherwise.
 */
import {
  COMMIT, FORMAT_VERSION, IN_USE_MARK, KEY_ROTATED, PAGE_HEADER, REC_HEADER, SHRED_MARK, SLOT_A, SLOT_B, TYPE_DATA, TYPE_KEY, UNIT,
  be32, checkRecordHeader, decodePartA, partBVersion, decodeSlot, isErased, isZero, partBFloor, partBType, partBValue, recordSize, roundUnit,
  type KeySlot,
} from "./format";

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

/** The first unit boundary after the last programmed byte of b[from … P). */
function tailStart(b: Uint8Array, from: number, P: number): number {
  var i = P;
  while (i > from && b[i - 1] === 0xff) i--;
  return i === from ? from : roundUnit(i);
}

/** The offset of the first unit from byte 32 that holds a valid record header, or 0. */
function firstHeader(b: Uint8Array, P: number): number {
  for (var o = PAGE_HEADER; o + REC_HEADER + COMMIT <= P; o += UNIT) if (checkRecordHeader(b, o, P - o) > 0) return o;
  return 0;
}

function hasZeroUnit(b: Uint8Array, from: number, to: number): boolean {
  for (var o = from; o + UNIT <= to; o += UNIT) if (isZero(b, o, o + UNIT)) return true;
  return false;
}

export function scanPage(b: Uint8Array, P: number): PageScan {
  var out: PageScan = {
    state: PG_DIRTY, erases: decodePartA(b), value: 0, floor: 0, end: PAGE_HEADER, records: [], damaged: [], torn: 0,
    slot: null, shredMark: false, rotation: false, headerDamaged: false, inUse: false, otherFormat: 0,
  };
  var fv = partBVersion(b);
  if (fv !== 0 && fv !== FORMAT_VERSION) {
    out.otherFormat = fv;
    return out;
  }
  var type = partBType(b);
  out.value = partBValue(b);
  out.floor = type === TYPE_DATA ? partBFloor(b) : 0;
  if (type === 0) {
    if (isErased(b, 0, P)) out.state = PG_BLANK;
    else if (out.erases >= 0 && isErased(b, 16, P)) out.state = PG_FREE;
    else if (out.erases >= 0) {
      // A damaged part B under a valid part A: the page is still recognised by what follows it.
      // (Without part A it is more likely a torn erase, whose records all exist elsewhere.)
      var ks = decodeSlot(b, SLOT_A) || decodeSlot(b, SLOT_B);
      if (ks) {
        type = TYPE_KEY;
        out.value = ks.generation;
      } else if (firstHeader(b, P) > 0) {
        type = TYPE_DATA;
        out.value = 0;
      } else if (!isErased(b, PAGE_HEADER, P)) {
        out.headerDamaged = true; // programmed, but nothing in it can be read
        return out;
      } else return out;
      out.headerDamaged = true;
    }
    if (type === 0) return out;
  }
  if (type === TYPE_KEY) {
    out.state = PG_KEY;
    out.shredMark = isZero(b, SHRED_MARK, SHRED_MARK + UNIT);
    out.inUse = isZero(b, IN_USE_MARK, IN_USE_MARK + UNIT);
    out.rotation = partBType(b) === TYPE_KEY && partBFloor(b) === KEY_ROTATED;
    out.slot = decodeSlot(b, SLOT_A) || decodeSlot(b, SLOT_B);
    return out;
  }
  if (type !== TYPE_DATA) return out;
  out.state = PG_DATA;
  var end = tailStart(b, PAGE_HEADER, P), off = PAGE_HEADER;
  while (off < end) {
    var len = checkRecordHeader(b, off, P - off);
    if (len > 0) {
      var c = off + REC_HEADER + roundUnit(len);
      out.records.push({
        off: off, size: recordSize(len), kind: b[off], version: be32(b, off + 4), generation: be32(b, off + 8),
        tag: hex(b, off + 12, off + 20), committed: !isErased(b, c, c + COMMIT),
      });
      off = c + COMMIT;
      continue;
    }
    var o = off + UNIT;
    while (o < end && !checkRecordHeader(b, o, P - o)) o += UNIT;
    if (o >= end) {
      // An interrupted write at the tail leaves at most a record header: a header is always
      // programmed alone, before anything after it. A span that reaches past a header's length,
      // or holds a commit unit, is a damaged record instead.
      if (end > off + REC_HEADER || hasZeroUnit(b, off, end)) out.damaged.push(off);
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
