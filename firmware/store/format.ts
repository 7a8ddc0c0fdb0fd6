/**
 * The store's on-flash format (docs/flash-format.md): offsets, sizes, encoders and checkers of the
 * page header, the key page and the record header. Big-endian. Every separately programmed field
 * starts and ends on an 8-byte unit, so write granularities of 1, 2, 4 and 8 bytes all work and no
 * unit is programmed twice between erases (ECC flash), except by the all-zero overwrite of a shred.
 */
import { crc32 } from "./crc32";
import { view } from "../crypto/bytes";

export var UNIT = 8;
/** "FLS1": page magic and the first bytes of every record's associated data. */
export var MAGIC = [0x46, 0x4c, 0x53, 0x31];
export var FORMAT_VERSION = 1;

// Page header (§1): part A when the page is erased, part B when it is given a role.
export var PAGE_HEADER = 32;
export var PART_B = 16;
export var TYPE_DATA = 0x44; // 'D'
export var TYPE_KEY = 0x4b; // 'K'

// Record (§2): header, sealed payload padded to the unit, commit unit.
export var REC_HEADER = 24;
export var COMMIT = 8;
export var KIND_PUT = 0x50; // 'P'
export var KIND_TOMBSTONE = 0x54; // 'T'
export var TAG_LEN = 8;
export var AEAD_TAG = 16;
/** Names: 1 … 28 bytes of UTF-8 (Espruino Storage's limit, so names port both ways). */
export var MAX_NAME = 28;
/** Versions stay below 2^31 so a commit unit is never all 0xFF. */
export var MAX_VERSION = 0x7fffffff;

// Key page (§3): shred mark, then two copies of the key slot.
export var SHRED_MARK = PAGE_HEADER;
export var SLOT = 56;
export var SLOT_A = PAGE_HEADER + UNIT;
export var SLOT_B = SLOT_A + SLOT;
export var SEED_RANDOM = 1;
export var SEED_DERIVED = 2;
/** A key page's part B floor field when the page was written by a key rotation (§9); 0 otherwise. */
export var KEY_ROTATED = 1;

export function roundUnit(n: number): number {
  return (n + UNIT - 1) & ~(UNIT - 1);
}

/** Bytes a record occupies for `sealedLen` bytes of sealed payload. */
export function recordSize(sealedLen: number): number {
  return REC_HEADER + roundUnit(sealedLen) + COMMIT;
}

/** Sealed length of a value: len(name) ‖ name ‖ value ‖ tag. */
export function sealedLength(nameLen: number, valueLen: number): number {
  return 1 + nameLen + valueLen + AEAD_TAG;
}

/** The largest value: a record with the longest name fills at most half of a page's record area. */
export function maxValueBytes(pageSize: number): number {
  var v = Math.min(1024, pageSize);
  while (v > 0 && 2 * recordSize(sealedLength(MAX_NAME, v)) > pageSize - PAGE_HEADER) v--;
  return v;
}

export function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 255;
  b[o + 2] = (v >>> 8) & 255;
  b[o + 3] = v & 255;
}

export function isErased(b: Uint8Array, start: number, end: number): boolean {
  for (var i = start; i < end; i++) if (b[i] !== 0xff) return false;
  return true;
}

export function isZero(b: Uint8Array, start: number, end: number): boolean {
  for (var i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}

export function erasedBytes(n: number): Uint8Array {
  var b = new Uint8Array(n);
  for (var i = 0; i < n; i++) b[i] = 0xff;
  return b;
}

// ---- page header -----------------------------------------------------------------------------
// part A (0 … 16):  magic (4) · erase count u32 · ff×4 · crc32(0 … 12)
// part B (16 … 32): type · format version · ff×2 · value u32 (data: page sequence; key: generation)
//                   · version floor u32 (data: the store's version counter when the page was opened) · crc32

export function encodePartA(eraseCount: number): Uint8Array {
  var b = erasedBytes(16);
  for (var i = 0; i < 4; i++) b[i] = MAGIC[i];
  put32(b, 4, eraseCount);
  put32(b, 12, crc32(b, 0, 12));
  return b;
}

/** The erase count in part A of a page header at h[0 …], or -1 when part A is not valid. */
export function decodePartA(h: Uint8Array): number {
  for (var i = 0; i < 4; i++) if (h[i] !== MAGIC[i]) return -1;
  return crc32(h, 0, 12) === be32(h, 12) ? be32(h, 4) : -1;
}

export function encodePartB(type: number, value: number, floor: number): Uint8Array {
  var b = erasedBytes(16);
  b[0] = type;
  b[1] = FORMAT_VERSION;
  put32(b, 4, value);
  put32(b, 8, floor);
  put32(b, 12, crc32(b, 0, 12));
  return b;
}

/** The type in part B at h[16 … 32), or 0 when part B is not valid. */
export function partBType(h: Uint8Array): number {
  if (crc32(h, PART_B, PART_B + 12) !== be32(h, PART_B + 12) || h[PART_B + 1] !== FORMAT_VERSION) return 0;
  var t = h[PART_B];
  return t === TYPE_DATA || t === TYPE_KEY ? t : 0;
}

export function partBValue(h: Uint8Array): number {
  return be32(h, PART_B + 4);
}

export function partBFloor(h: Uint8Array): number {
  return be32(h, PART_B + 8);
}

// ---- record header ---------------------------------------------------------------------------
// 0 kind · 1 ff · 2 sealed length u16 · 4 version u32 · 8 generation u32 · 12 name tag (8) · 20 crc32(0 … 20)

export function encodeRecordHeader(kind: number, sealedLen: number, version: number, generation: number, tag: Uint8Array): Uint8Array {
  var h = erasedBytes(REC_HEADER);
  h[0] = kind;
  h[2] = sealedLen >>> 8;
  h[3] = sealedLen & 255;
  put32(h, 4, version);
  put32(h, 8, generation);
  h.set(tag, 12);
  put32(h, 20, crc32(h, 0, 20));
  return h;
}

/**
 * The sealed length of the record header at b[o …], or 0 when it is not a valid header whose
 * record fits in the `room` bytes from `o`.
 */
export function checkRecordHeader(b: Uint8Array, o: number, room: number): number {
  if (room < REC_HEADER + COMMIT) return 0;
  var k = b[o];
  if ((k !== KIND_PUT && k !== KIND_TOMBSTONE) || b[o + 1] !== 0xff) return 0;
  if (crc32(b, o, o + 20) !== be32(b, o + 20)) return 0;
  var len = (b[o + 2] << 8) | b[o + 3], v = be32(b, o + 4);
  if (len < AEAD_TAG + 2 || recordSize(len) > room || v < 1 || v > MAX_VERSION) return 0;
  return len;
}

/** Nonce of a record: generation ‖ version ‖ 0×4 (unique: versions never repeat within a generation). */
export function recordNonce(generation: number, version: number): Uint8Array {
  var n = new Uint8Array(12);
  put32(n, 0, generation);
  put32(n, 4, version);
  return n;
}

/** Associated data: "FLS1" ‖ record header bytes 0 … 20 (kind, length, version, generation, name tag). */
export function recordAad(header: Uint8Array, o: number): Uint8Array {
  var a = new Uint8Array(24);
  for (var i = 0; i < 4; i++) a[i] = MAGIC[i];
  a.set(view(header, o, o + 20), 4);
  return a;
}

/** The commit unit: all zeros (any cleared bit means the commit program began). */
export function commitUnit(): Uint8Array {
  return new Uint8Array(COMMIT);
}

// ---- key slot ---------------------------------------------------------------------------------
// 0 generation u32 · 4 seed source · 5 ff×3 · 8 seed (32) · 40 key check (8) · 48 crc32(0 … 48) · 52 ff×4

export interface KeySlot {
  generation: number;
  seedSource: number;
  seed: Uint8Array;
  check: Uint8Array;
}

export function encodeSlot(s: KeySlot): Uint8Array {
  var b = erasedBytes(SLOT);
  put32(b, 0, s.generation);
  b[4] = s.seedSource;
  b.set(s.seed, 8);
  b.set(s.check, 40);
  put32(b, 48, crc32(b, 0, 48));
  return b;
}

/** The slot at b[o …] (views into b), or null when it is not valid. */
export function decodeSlot(b: Uint8Array, o: number): KeySlot | null {
  if (crc32(b, o, o + 48) !== be32(b, o + 48)) return null;
  var src = b[o + 4];
  if (src !== SEED_RANDOM && src !== SEED_DERIVED) return null;
  return { generation: be32(b, o), seedSource: src, seed: view(b, o + 8, o + 40), check: view(b, o + 40, o + 48) };
}
