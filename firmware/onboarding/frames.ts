/**
 * Frames on the device (docs/protocol.md §1): `version (1) ‖ type (1) ‖ length (2, big-endian) ‖
 * body`, and an incremental decoder that reassembles them from the link's chunks. Each header byte
 * is checked as it arrives, so a bad version, type or length fails before a body is buffered (an
 * oversized frame never allocates). After an error the decoder stays failed: §1 closes the link.
 */
import { fail } from "../errors";
import { view } from "../crypto/bytes";

export var VERSION = 0x01;
export var HEADER_LEN = 4;
export var MAX_BODY = 1024;

export var PAIR_HELLO = 0x01;
export var PAIR_RESPONSE = 0x02;
export var PAIR_CONFIRM = 0x03;
export var PAIR_DONE = 0x04;
export var SESSION_HELLO = 0x10;
export var SESSION_ACCEPT = 0x11;
export var DATA = 0x20;
export var REKEY = 0x21;
export var ERROR = 0x7f;

/** §4: ERROR codes. */
export var ERR_WINDOW_CLOSED = 1;
export var ERR_LOCKED = 2;
export var ERR_PAIRING_FAILED = 3;
export var ERR_BAD_SHARE = 4;
export var ERR_AUTH_FAILED = 5;
export var ERR_NOT_PAIRED = 6;
export var ERR_PROTOCOL = 7;
export var ERR_TIMEOUT = 8;
export var ERR_BUSY = 9;
/** §4: the detail is at most 64 bytes. */
export var MAX_ERROR_DETAIL = 64;

/**
 * Body sizes per type, [min, max] (§2.2 – §4). PAIR_HELLO is sid (16) ‖ Ya (32) ‖ XXpsk3 message 1,
 * which is e (32) ‖ the 16-byte tag of its empty payload (with a psk modifier "e" also runs MixKey,
 * Noise §9.2, so that payload is encrypted): 96 bytes.
 */
var SIZES: { [type: number]: number[] } = {};
SIZES[PAIR_HELLO] = [96, 96];
SIZES[PAIR_RESPONSE] = [32 + 96, MAX_BODY];
SIZES[PAIR_CONFIRM] = [48 + 16, MAX_BODY];
SIZES[PAIR_DONE] = [8 + 16, MAX_BODY];
SIZES[SESSION_HELLO] = [32 + 16, MAX_BODY];
SIZES[SESSION_ACCEPT] = [32 + 16, 32 + 16];
SIZES[DATA] = [8 + 16, MAX_BODY];
SIZES[REKEY] = [8 + 16, 8 + 16];
SIZES[ERROR] = [1, 1 + MAX_ERROR_DETAIL];

var NAMES: { [type: number]: string } = {};
NAMES[PAIR_HELLO] = "PAIR_HELLO";
NAMES[PAIR_RESPONSE] = "PAIR_RESPONSE";
NAMES[PAIR_CONFIRM] = "PAIR_CONFIRM";
NAMES[PAIR_DONE] = "PAIR_DONE";
NAMES[SESSION_HELLO] = "SESSION_HELLO";
NAMES[SESSION_ACCEPT] = "SESSION_ACCEPT";
NAMES[DATA] = "DATA";
NAMES[REKEY] = "REKEY";
NAMES[ERROR] = "ERROR";

export interface Frame {
  type: number;
  body: Uint8Array;
}

function hex2(b: number): string {
  return (b < 16 ? "0x0" : "0x") + b.toString(16);
}

export function frameName(type: number): string {
  var name = NAMES[type];
  return name !== undefined ? name : hex2(type);
}

export function isKnownType(type: number): boolean {
  return SIZES[type] !== undefined;
}

/** True when `len` is a valid body size for `type` (§2 – §4). */
export function bodyLengthOk(type: number, len: number): boolean {
  var s = SIZES[type];
  return s !== undefined && len >= s[0] && len <= s[1];
}

/** One frame's bytes. The body size is checked against the type's rule (PROTO_BAD_LENGTH otherwise). */
export function encodeFrame(type: number, body: Uint8Array): Uint8Array {
  if (!isKnownType(type)) fail("PROTO_BAD_TYPE", "unknown frame type " + hex2(type));
  if (!bodyLengthOk(type, body.length)) fail("PROTO_BAD_LENGTH", frameName(type) + " body of " + body.length + " bytes is the wrong size");
  var out = new Uint8Array(HEADER_LEN + body.length);
  out[0] = VERSION;
  out[1] = type;
  out[2] = body.length >> 8;
  out[3] = body.length & 0xff;
  out.set(body, HEADER_LEN);
  return out;
}

/** §4: code (1) ‖ detail (≤ 64 bytes; ASCII here, cut at 64). */
export function encodeErrorBody(code: number, detail: string): Uint8Array {
  var n = detail.length < MAX_ERROR_DETAIL ? detail.length : MAX_ERROR_DETAIL;
  var out = new Uint8Array(1 + n);
  out[0] = code;
  for (var i = 0; i < n; i++) {
    var c = detail.charCodeAt(i);
    out[1 + i] = c < 0x20 || c > 0x7e ? 0x3f : c;
  }
  return out;
}

export interface FrameDecoder {
  /** Feeds one chunk; returns the frames it completed (possibly none). Throws PROTO_* on a bad header. */
  push(chunk: Uint8Array): Frame[];
  /** True while part of a frame is buffered. */
  partial(): boolean;
  /** The error that failed the decoder, or null. */
  failure(): Error | null;
}

export function createFrameDecoder(): FrameDecoder {
  var header = new Uint8Array(HEADER_LEN), headerFill = 0;
  var body: Uint8Array | null = null, bodyFill = 0;
  var failed: Error | null = null;

  function stop(code: string, message: string): never {
    body = null;
    try {
      fail(code, message);
    } catch (e) {
      failed = e as Error;
    }
    throw failed;
  }

  return {
    push: function (chunk: Uint8Array): Frame[] {
      if (failed !== null) throw failed;
      var out: Frame[] = [], i = 0, n = chunk.length;
      while (i < n) {
        if (body === null) {
          var b = chunk[i++];
          header[headerFill++] = b;
          if (headerFill === 1 && b !== VERSION) stop("PROTO_BAD_VERSION", "frame version " + hex2(b) + ", expected 0x01");
          if (headerFill === 2 && !isKnownType(b)) stop("PROTO_BAD_TYPE", "unknown frame type " + hex2(b));
          if (headerFill < HEADER_LEN) continue;
          var len = (header[2] << 8) | header[3];
          if (len > MAX_BODY) stop("PROTO_FRAME_TOO_LARGE", frameName(header[1]) + " announces " + len + " bytes, over 1024");
          if (!bodyLengthOk(header[1], len)) stop("PROTO_BAD_LENGTH", frameName(header[1]) + " body of " + len + " bytes is the wrong size");
          body = new Uint8Array(len);
          bodyFill = 0;
        }
        var take = body.length - bodyFill;
        if (take > n - i) take = n - i;
        body.set(view(chunk, i, i + take), bodyFill);
        bodyFill += take;
        i += take;
        if (bodyFill === body.length) {
          out.push({ type: header[1], body: body });
          body = null;
          headerFill = 0;
        }
      }
      return out;
    },
    partial: function (): boolean {
      return headerFill > 0;
    },
    failure: function (): Error | null {
      return failed;
    },
  };
}

/** §3.3: a counter as u64 big-endian (counters stay below 2^53). */
export function u64be(n: number): Uint8Array {
  var out = new Uint8Array(8), lo = n >>> 0, hi = (n - lo) / 4294967296;
  out[0] = hi >>> 24; out[1] = (hi >>> 16) & 0xff; out[2] = (hi >>> 8) & 0xff; out[3] = hi & 0xff;
  out[4] = lo >>> 24; out[5] = (lo >>> 16) & 0xff; out[6] = (lo >>> 8) & 0xff; out[7] = lo & 0xff;
  return out;
}

/** §3.3: the u64 big-endian counter at `off`, as a double (exact below 2^53; larger values compare as larger). */
export function readU64be(b: Uint8Array, off: number): number {
  var hi = ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
  var lo = ((b[off + 4] << 24) | (b[off + 5] << 16) | (b[off + 6] << 8) | b[off + 7]) >>> 0;
  return hi * 4294967296 + lo;
}
