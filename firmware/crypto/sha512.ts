/**
 * SHA-512 (FIPS 180-4 §6.4; RFC 6234) without BigInt. One-shot `sha512` and a streaming `Sha512`.
 *
 * A 64-bit word is a pair (hi, lo) of 32-bit halves. lo halves are kept unsigned, so a sum of up to
 * five of them is exact in a double and its carry into hi is exact arithmetic, not a comparison.
 */
import { mdUpdate, mdDigest } from "./md";
import { ACCEL, ONE_SHOT_MAX } from "./accel";
import { checkBytes } from "../errors";
import { SHA2_WORDS } from "./sha2-constants";
import { view } from "./bytes";

export var SHA512_BLOCK_LEN = 128;
export var SHA512_OUTPUT_LEN = 64;

// §4.2.3 K and §5.3.5 H(0), as hi, lo pairs (sha2-constants.ts).
var K = view(SHA2_WORDS, 16);
var IV = view(SHA2_WORDS, 0, 16);

/** Message schedule W_0..W_79 as hi, lo pairs; shared by every instance and wiped by digest. */
var W = new Uint32Array(160);

var P32 = 4294967296;

/*
 * Cost model (as in sha256.ts): bitwise operators are the expensive ones on Duktape without fastint,
 * adds, multiplies and `%` are cheap, and every token costs on Espruino. So:
 * - a rotate or shift half is `(x >>> n) + (y << (32 - n))` (disjoint bits: `+` equals `|`), with
 *   `y * 2^k` for k <= 21 (y < 2^32 keeps the sum below 2^53, exact; the consuming `^` reduces it);
 * - a lo sum of unsigned terms is reduced by `% P32` and its carry is the exact `(lo - lo % P32) / P32`;
 * - T1 stays an unreduced (hi, lo) sum; Uint32Array stores reduce the schedule and the state;
 * - Maj(a,b,c) = b ^ ((a ^ b) & (b ^ c)), where b ^ c is the previous round's a ^ b.
 * Invariant at the top of each round: al..hl in [0, 2^32); ah..hh are int32 or in [0, 2^32).
 */

/** §6.4.2: compresses `n` consecutive 128-byte blocks of `d` starting at `p` into the state `s`. */
function compress(s: Uint32Array, d: Uint8Array, p: number, n: number): void {
  var w = W, k = K, j, lo, xh, xl, yh, yl, t1h, t1l, uh, ul, vh, vl, sh;
  var ah, al, bh, bl, ch, cl, dh, dl, eh, el, fh, fl, gh, gl, hh, hl;
  while (n-- > 0) {
    // §6.4.2 step 1: W_0..W_15 are the block's big-endian words; then
    // W_t = σ1(W_t-2) + W_t-7 + σ0(W_t-15) + W_t-16, σ0 = ROTR1 ^ ROTR8 ^ SHR7, σ1 = ROTR19 ^ ROTR61 ^ SHR6.
    for (j = 0; j < 32; j++, p += 4) w[j] = d[p] * 16777216 + d[p + 1] * 65536 + d[p + 2] * 256 + d[p + 3];
    for (; j < 160; j += 2) {
      xh = w[j - 4]; xl = w[j - 3];
      yh = w[j - 30]; yl = w[j - 29];
      lo = ((((xl >>> 19) + xh * 8192) ^ ((xh >>> 29) + xl * 8) ^ ((xl >>> 6) + (xh << 26))) >>> 0) + w[j - 13] +
        ((((yl >>> 1) + (yh << 31)) ^ ((yl >>> 8) + (yh << 24)) ^ ((yl >>> 7) + (yh << 25))) >>> 0) + w[j - 31];
      w[j + 1] = lo;
      w[j] = (((xh >>> 19) + xl * 8192) ^ ((xl >>> 29) + xh * 8) ^ (xh >>> 6)) + w[j - 14] +
        (((yh >>> 1) + (yl << 31)) ^ ((yh >>> 8) + (yl << 24)) ^ (yh >>> 7)) + w[j - 32] + (lo - lo % P32) / P32;
    }
    ah = s[0]; al = s[1]; bh = s[2]; bl = s[3]; ch = s[4]; cl = s[5]; dh = s[6]; dl = s[7];
    eh = s[8]; el = s[9]; fh = s[10]; fl = s[11]; gh = s[12]; gl = s[13]; hh = s[14]; hl = s[15];
    vh = bh ^ ch; vl = bl ^ cl;
    // §6.4.2 step 3: T1 = h + Σ1(e) + Ch(e,f,g) + K_t + W_t, T2 = Σ0(a) + Maj(a,b,c), with
    // Σ1 = ROTR14 ^ ROTR18 ^ ROTR41, Σ0 = ROTR28 ^ ROTR34 ^ ROTR39, Ch = g ^ (e & (f ^ g)).
    for (j = 0; j < 160; j += 2) {
      t1l = hl + ((((el >>> 14) + eh * 262144) ^ ((el >>> 18) + eh * 16384) ^ ((eh >>> 9) + (el << 23))) >>> 0) +
        ((gl ^ (el & (fl ^ gl))) >>> 0) + k[j + 1] + w[j + 1];
      t1h = hh + (((eh >>> 14) + el * 262144) ^ ((eh >>> 18) + el * 16384) ^ ((el >>> 9) + (eh << 23))) +
        (gh ^ (eh & (fh ^ gh))) + k[j] + w[j];
      uh = ah ^ bh; ul = al ^ bl;
      hh = gh; hl = gl; gh = fh; gl = fl; fh = eh; fl = el;
      // e = d + T1.
      lo = dl + t1l; el = lo % P32;
      eh = dh + t1h + (lo - el) / P32 | 0;
      // a = T1 + T2.
      lo = t1l + ((((al >>> 28) + ah * 16) ^ ((ah >>> 2) + (al << 30)) ^ ((ah >>> 7) + (al << 25))) >>> 0) +
        ((bl ^ (ul & vl)) >>> 0);
      sh = t1h + (((ah >>> 28) + al * 16) ^ ((al >>> 2) + (ah << 30)) ^ ((al >>> 7) + (ah << 25))) + (bh ^ (uh & vh));
      dh = ch; dl = cl; ch = bh; cl = bl; bh = ah; bl = al;
      al = lo % P32;
      ah = sh + (lo - al) / P32 | 0;
      vh = uh; vl = ul;
    }
    // §6.4.2 step 4: H_i = H_i-1 + working variables, per 64-bit word. W_0..W_15 are dead now:
    // they carry a..h into one loop (Uint32Array stores reduce ah..hh mod 2^32, as the sum does).
    w[0] = ah; w[1] = al; w[2] = bh; w[3] = bl; w[4] = ch; w[5] = cl; w[6] = dh; w[7] = dl;
    w[8] = eh; w[9] = el; w[10] = fh; w[11] = fl; w[12] = gh; w[13] = gl; w[14] = hh; w[15] = hl;
    for (j = 0; j < 16; j += 2) {
      lo = s[j + 1] + w[j + 1];
      s[j + 1] = lo;
      s[j] += w[j] + (lo - lo % P32) / P32;
    }
  }
}

/** Streaming SHA-512. `digest` ends the instance: it wipes the state, and any later call fails. */
export class Sha512 {
  static blockLen = 128;
  static outputLen = 64;
  // The md.ts state (public for mdUpdate/mdDigest; not part of the API).
  s = new Uint32Array(IV);
  buf = new Uint8Array(128);
  pos = 0;
  len = 0;
  done = false;

  update(data: Uint8Array): Sha512 {
    mdUpdate(this, compress, data, "Sha512");
    return this;
  }

  digest(): Uint8Array {
    return mdDigest(this, compress, W, "Sha512");
  }
}

/** SHA-512 of `data` (FIPS 180-4 §6.4). */
export function sha512(data: Uint8Array): Uint8Array {
  var native = ACCEL.sha512;
  checkBytes(data, "data");
  // The board's one-shot hash on the caller's bytes (firmware/crypto/accel.ts): no streaming state,
  // no copies. Longer messages take the portable compression, as streamed ones do (md.ts).
  if (native && data.length <= ONE_SHOT_MAX) return native(data);
  return new Sha512().update(data).digest();
}
