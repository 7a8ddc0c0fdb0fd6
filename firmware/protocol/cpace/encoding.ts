/**
 * CPace byte-string encodings (draft-irtf-cfrg-cpace-21 §3.2 "Notation" and Appendix A):
 * prepend_len (LEB128 length prefix), lv_cat, lexiographically_larger / o_cat, and the
 * transcripts transcript_ir (initiator-responder) and transcript_oc (ordered concatenation).
 * Everything here handles public data (shares, associated data, identifiers): no secrets.
 */
import { fail, checkBytes } from "../../errors";
import { concatBytes, view } from "../../crypto/bytes";

/** "oc", the prefix of o_cat. */
var OC = new Uint8Array([0x6f, 0x63]);

/** Number of bytes of the LEB128 encoding of n (n ≥ 0). */
function lebLen(n: number): number {
  var k = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    k++;
  }
  return k;
}

/** Writes the LEB128 encoding of n at out[o…]; returns the offset after it. */
function putLeb(out: Uint8Array, o: number, n: number): number {
  while (n >= 128) {
    out[o++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[o++] = n;
  return o;
}

/** prepend_len(data): LEB128(len(data)) ‖ data. */
export function prependLen(data: Uint8Array): Uint8Array {
  checkBytes(data, "data");
  var out = new Uint8Array(lebLen(data.length) + data.length);
  out.set(data, putLeb(out, 0, data.length));
  return out;
}

/** lv_cat(a0, a1, …) = prepend_len(a0) ‖ prepend_len(a1) ‖ … (prefix-free concatenation). */
export function lvCat(parts: Uint8Array[]): Uint8Array {
  var n = 0, i: number;
  for (i = 0; i < parts.length; i++) {
    checkBytes(parts[i], "lv_cat part");
    n += lebLen(parts[i].length) + parts[i].length;
  }
  var out = new Uint8Array(n), o = 0;
  for (i = 0; i < parts.length; i++) {
    o = putLeb(out, o, parts[i].length);
    out.set(parts[i], o);
    o += parts[i].length;
  }
  return out;
}

/**
 * The inverse of lv_cat for exactly `count` fields: throws PROTO_BAD_LENGTH when a length runs
 * past the end, a LEB128 length is not minimal or too long, or bytes are left over (the draft's
 * §"Implementation verification": a MSGa/MSGb whose lengths do not add up MUST abort).
 * The fields are views into `b`.
 */
export function lvSplit(b: Uint8Array, count: number): Uint8Array[] {
  checkBytes(b, "lv-encoded data");
  var out: Uint8Array[] = [], p = 0;
  for (var f = 0; f < count; f++) {
    var len = 0, scale = 1, k = 0, c = 0;
    do {
      if (p >= b.length || k === 3) fail("PROTO_BAD_LENGTH", "truncated or oversized length prefix");
      c = b[p++];
      len += (c & 0x7f) * scale;
      scale *= 128;
      k++;
    } while ((c & 0x80) !== 0);
    if (k > 1 && c === 0) fail("PROTO_BAD_LENGTH", "non-minimal length prefix");
    if (len > b.length - p) fail("PROTO_BAD_LENGTH", "field runs past the end of the message");
    out.push(view(b, p, p + len));
    p += len;
  }
  if (p !== b.length) fail("PROTO_BAD_LENGTH", (b.length - p) + " trailing bytes after the last field");
  return out;
}

/** lexiographically_larger(bytes1, bytes2): bytes1 > bytes2, a shorter prefix counting as smaller. */
export function lexiographicallyLarger(a: Uint8Array, b: Uint8Array): boolean {
  var n = a.length < b.length ? a.length : b.length;
  for (var i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] > b[i];
  }
  return a.length > b.length;
}

/** o_cat(bytes1, bytes2) = "oc" ‖ larger ‖ smaller. */
export function oCat(a: Uint8Array, b: Uint8Array): Uint8Array {
  checkBytes(a, "bytes1");
  checkBytes(b, "bytes2");
  return lexiographicallyLarger(a, b) ? concatBytes([OC, a, b]) : concatBytes([OC, b, a]);
}

/** transcript_ir(Ya, ADa, Yb, ADb) = lv_cat(Ya, ADa) ‖ lv_cat(Yb, ADb): the initiator's message first. */
export function transcriptIr(Ya: Uint8Array, ADa: Uint8Array, Yb: Uint8Array, ADb: Uint8Array): Uint8Array {
  return concatBytes([lvCat([Ya, ADa]), lvCat([Yb, ADb])]);
}

/** transcript_oc(Ya, ADa, Yb, ADb) = o_cat(lv_cat(Ya, ADa), lv_cat(Yb, ADb)): for parties without roles. */
export function transcriptOc(Ya: Uint8Array, ADa: Uint8Array, Yb: Uint8Array, ADb: Uint8Array): Uint8Array {
  return oCat(lvCat([Ya, ADa]), lvCat([Yb, ADb]));
}
