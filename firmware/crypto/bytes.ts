/**
 * Byte helpers shared by every primitive: constant-time comparison, wiping, hex and UTF-8.
 * ES5 + typed arrays only (no TextEncoder, no TypedArray.fill/slice).
 */
import { fail } from "../errors";

/** Throws CRYPTO_BAD_INPUT with `message` (one helper: the code's text appears once in the image). */
export function badInput(message: string): never {
  return fail("CRYPTO_BAD_INPUT", message);
}

/**
 * The view `b[begin, end)` (`end` defaults to the length), sharing b's memory, after checking
 * 0 <= begin <= end <= length. The only place device code takes a subarray: Espruino's
 * `subarray` does not clamp `end` (a view past the data reads zeros, or memory beyond), and an
 * end taken from input (a frame, TLV or record length) must never reach past what arrived.
 */
export function view<T extends Uint8Array | Int32Array | Uint32Array>(b: T, begin: number, end?: number): T {
  var n = b.length;
  if (end === undefined) end = n;
  if (!(begin >= 0 && begin <= end && end <= n)) badInput("view [" + begin + ", " + end + ") is outside " + n + " elements");
  return b.subarray(begin, end) as T;
}

/** Constant-time equality of two byte strings. Length is not secret; contents are. */
export function ctEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  var d = 0;
  for (var i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Overwrites a secret buffer with zeros. Every secret is wiped where its last use ends. */
export function wipe(b: Uint8Array | Uint32Array | Int32Array | Float64Array): void {
  for (var i = 0; i < b.length; i++) b[i] = 0;
}

/** A copy of `b` (TypedArray.slice is not available on ES5 engines). */
export function copyBytes(b: Uint8Array): Uint8Array {
  var out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

/** Concatenation of byte strings into a new buffer. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  var n = 0, i: number;
  for (i = 0; i < parts.length; i++) n += parts[i].length;
  var out = new Uint8Array(n), o = 0;
  for (i = 0; i < parts.length; i++) {
    out.set(parts[i], o);
    o += parts[i].length;
  }
  return out;
}

var HEX = "0123456789abcdef";

export function toHex(b: Uint8Array): string {
  var s = "";
  for (var i = 0; i < b.length; i++) s += HEX.charAt(b[i] >> 4) + HEX.charAt(b[i] & 15);
  return s;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function fromHex(s: string): Uint8Array {
  if (typeof s !== "string" || s.length % 2 !== 0) badInput("hex string must have an even length");
  var out = new Uint8Array(s.length / 2);
  for (var i = 0; i < out.length; i++) {
    var h = hexNibble(s.charCodeAt(2 * i)), l = hexNibble(s.charCodeAt(2 * i + 1));
    if (h < 0 || l < 0) badInput("not a hex digit at offset " + 2 * i);
    out[i] = (h << 4) | l;
  }
  return out;
}

/**
 * UTF-8 encoding of a JS string (unpaired surrogates become U+FFFD, as TextEncoder does).
 * @lua fl_utf8_bytes (a Lua string already is its UTF-8 bytes)
 */
export function utf8Encode(s: string): Uint8Array {
  var bytes: number[] = [];
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      var d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  var out = new Uint8Array(bytes.length);
  for (var i = 0; i < bytes.length; i++) out[i] = bytes[i];
  return out;
}

/** `\uXXXX` for a UTF-16 code unit (a JSON string escape). */
function jsonEscape(u: number): string {
  return "\\u" + HEX.charAt(u >> 12) + HEX.charAt((u >> 8) & 15) + HEX.charAt((u >> 4) & 15) + HEX.charAt(u & 15);
}

/**
 * Strict UTF-8 decoding: overlong forms, surrogates and truncated sequences are errors.
 * The string is built as a JSON literal and parsed once: `String.fromCharCode` keeps only the low
 * 8 bits on Espruino, while its JSON parser (like every engine's) turns `\u20ac` into U+20AC and a
 * surrogate pair into the one code point Espruino's strings hold. Printable ASCII goes in as is.
 */
export function utf8Decode(b: Uint8Array): string {
  var s = "";
  for (var i = 0; i < b.length; ) {
    var c = b[i++], n = 0, min = 0;
    if (c < 0x80) n = 0;
    else if ((c & 0xe0) === 0xc0) { n = 1; c &= 31; min = 0x80; }
    else if ((c & 0xf0) === 0xe0) { n = 2; c &= 15; min = 0x800; }
    else if ((c & 0xf8) === 0xf0) { n = 3; c &= 7; min = 0x10000; }
    else badInput("invalid UTF-8 lead byte at offset " + (i - 1));
    if (i + n > b.length) badInput("truncated UTF-8 sequence");
    for (var k = 0; k < n; k++) {
      var x = b[i++];
      if ((x & 0xc0) !== 0x80) badInput("invalid UTF-8 continuation byte at offset " + (i - 1));
      c = (c << 6) | (x & 63);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) badInput("invalid UTF-8 code point");
    if (c >= 0x10000) {
      c -= 0x10000;
      s += jsonEscape(0xd800 + (c >> 10)) + jsonEscape(0xdc00 + (c & 1023));
    } else if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) s += String.fromCharCode(c & 0x7f);
    else s += jsonEscape(c);
  }
  return JSON.parse('"' + s + '"');
}
