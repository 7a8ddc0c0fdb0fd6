/**
 * The buffering and padding SHA-256 and SHA-512 share (FIPS 180-4 §5.1): whole blocks are hashed
 * straight from the caller's buffer (no copy), a partial block waits in `buf`; the digest appends
 * the 1 bit, zeros and the big-endian bit length, then serializes the state big-endian.
 *
 * Where the board has a native one-shot hash (firmware/crypto/accel.ts), a message is first kept
 * as copies of its pieces and hashed natively at digest; one that grows past ONE_SHOT_MAX moves to
 * the portable compression at that point, so streaming never loses data or bounds the length.
 */
import { checkBytes, fail } from "../errors";
import { ACCEL, ONE_SHOT_MAX } from "./accel";
import { concatBytes, copyBytes, view, wipe } from "./bytes";

/** Compresses `n` consecutive blocks of `d` starting at `p` into the state `s`. */
export type Compress<S> = (s: S, d: Uint8Array, p: number, n: number) => void;

/** The streaming state of one message; `buf.length` is the block length. */
export interface MdHash<S extends Int32Array | Uint32Array> {
  s: S;
  buf: Uint8Array;
  pos: number;
  /** Message length in bytes (exact as a double up to 2^53). */
  len: number;
  done: boolean;
  /** Copies of the message so far while it waits for a native one-shot hash; null once portable. */
  kept?: Uint8Array[] | null;
  keptLen?: number;
}

/** The board's one-shot hash for this block length (64: SHA-256, 128: SHA-512), if any. */
function oneShot(blockLen: number): ((data: Uint8Array) => Uint8Array) | undefined {
  return blockLen === 64 ? ACCEL.sha256 : ACCEL.sha512;
}

/** Hands what was kept for the one-shot hash to the portable compression. */
function keptToPortable<S extends Int32Array | Uint32Array>(h: MdHash<S>, compress: Compress<S>): void {
  var kept = h.kept as Uint8Array[];
  h.kept = null;
  h.len -= h.keptLen as number;
  h.keptLen = 0;
  for (var i = 0; i < kept.length; i++) {
    portableUpdate(h, compress, kept[i]);
    wipe(kept[i]);
  }
}

export function mdUpdate<S extends Int32Array | Uint32Array>(h: MdHash<S>, compress: Compress<S>, data: Uint8Array, name: string): void {
  if (h.done) fail("CRYPTO_BAD_STATE", name + ".update after digest");
  checkBytes(data, "data");
  if (h.kept === undefined) {
    h.kept = oneShot(h.buf.length) && h.len === 0 ? [] : null;
    h.keptLen = 0;
  }
  if (h.kept) {
    if ((h.keptLen as number) + data.length <= ONE_SHOT_MAX) {
      h.kept.push(copyBytes(data));
      h.keptLen = (h.keptLen as number) + data.length;
      h.len += data.length;
      return;
    }
    keptToPortable(h, compress);
  }
  portableUpdate(h, compress, data);
}

function portableUpdate<S extends Int32Array | Uint32Array>(h: MdHash<S>, compress: Compress<S>, data: Uint8Array): void {
  var buf = h.buf, B = buf.length, pos = h.pos, n = data.length, p = 0;
  h.len += n;
  if (pos > 0) {
    p = B - pos < n ? B - pos : n;
    buf.set(view(data, 0, p), pos);
    pos += p;
    if (pos < B) {
      h.pos = pos;
      return;
    }
    compress(h.s, buf, 0, 1);
    pos = 0;
  }
  var blocks = (n - p) / B | 0;
  if (blocks > 0) {
    compress(h.s, data, p, blocks);
    p += blocks * B;
  }
  if (p < n) {
    buf.set(view(data, p), 0);
    pos = n - p;
  }
  h.pos = pos;
}

/**
 * §5.1.1 / §5.1.2: pads and compresses the last block(s) and returns the state big-endian. Ends
 * the instance: the state, the buffer and the shared message schedule `w` are zeroed.
 */
export function mdDigest<S extends Int32Array | Uint32Array>(h: MdHash<S>, compress: Compress<S>, w: S, name: string): Uint8Array {
  if (h.done) fail("CRYPTO_BAD_STATE", name + ".digest called twice");
  var native = oneShot(h.buf.length);
  if (h.kept === undefined && native) h.kept = [];
  if (h.kept && native) {
    h.done = true;
    var all = concatBytes(h.kept);
    for (var k = 0; k < h.kept.length; k++) wipe(h.kept[k]);
    h.kept = null;
    var digest = native(all);
    wipe(all);
    return digest;
  }
  if (h.kept) keptToPortable(h, compress);
  h.done = true;
  var buf = h.buf, B = buf.length, pos = h.pos, s = h.s, len = h.len, i: number, v: number;
  // The length field is B/8 bytes (64 bits for SHA-256, 128 for SHA-512); lengths < 2^53 bytes
  // fill only its last 8, the rest stays zero.
  buf[pos++] = 0x80;
  if (pos > B - B / 8) {
    while (pos < B) buf[pos++] = 0;
    compress(s, buf, 0, 1);
    pos = 0;
  }
  while (pos < B - 8) buf[pos++] = 0;
  var hi = (len / 0x20000000) | 0, lo = len << 3;
  for (i = 0; i < 4; i++) {
    buf[B - 8 + i] = hi >>> (24 - 8 * i);
    buf[B - 4 + i] = lo >>> (24 - 8 * i);
  }
  compress(s, buf, 0, 1);
  var out = new Uint8Array(4 * s.length);
  for (i = 0; i < s.length; i++) {
    v = s[i];
    out[4 * i] = v >>> 24; out[4 * i + 1] = v >>> 16; out[4 * i + 2] = v >>> 8; out[4 * i + 3] = v;
    s[i] = 0;
  }
  for (i = 0; i < B; i++) buf[i] = 0;
  for (i = 0; i < w.length; i++) w[i] = 0;
  return out;
}
