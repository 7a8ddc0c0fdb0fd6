/**
 * SHA-256 (FIPS 180-4 §6.2; RFC 6234). One-shot `sha256` and a streaming `Sha256`.
 * Words are int32 values in locals and Int32Arrays; sums are exact doubles reduced mod 2^32 once.
 */
import { mdUpdate, mdDigest } from "./md";
import { ACCEL, ONE_SHOT_MAX } from "./accel";
import { checkBytes } from "../errors";
import { SHA2_WORDS } from "./sha2-constants";

export var SHA256_BLOCK_LEN = 64;
export var SHA256_OUTPUT_LEN = 32;

// §4.2.2 K and §5.3.3 H(0): the hi halves of SHA-512's (the same roots to 32 bits; sha2-constants.ts).
var K = new Int32Array(64);
var IV = new Int32Array(8);
for (var i = 0; i < 64; i++) K[i] = SHA2_WORDS[16 + 2 * i];
for (var i = 0; i < 8; i++) IV[i] = SHA2_WORDS[2 * i];

/** Message schedule scratch, shared by every instance (compression never re-enters); wiped by digest. */
var W = new Int32Array(64);

/*
 * Cost model: on Duktape without fastint (the Debian build, most MCU builds) every bitwise operator
 * converts through ToInt32 and costs ~10x an add or a multiply; on Espruino every token costs. So:
 * - ROTR_n(x) = (x >>> n) + (x << (32 - n)): the halves have disjoint bits, so `+` equals `|`;
 *   a left shift by k <= 21 is `x * 2^k` (|x| < 2^31 keeps the sum below 2^53, exact), and the
 *   ToInt32 of the `^` that consumes it reduces mod 2^32.
 * - Int32Array stores reduce mod 2^32, so schedule words and the state need no `| 0`.
 * - Maj(a,b,c) = b ^ ((a ^ b) & (b ^ c)), where b ^ c is the previous round's a ^ b.
 * Invariant: a..h are int32 at the top of each round; t1 and t2 are exact sums below 2^35.
 */

/**
 * §6.2.2: compresses `n` consecutive 64-byte blocks of `d` starting at `p` into the state `s`.
 */
function compress(s: Int32Array, d: Uint8Array, p: number, n: number): void {
  var w = W, k = K, a, b, c, dd, e, f, g, h, t1, t2, x, y, i;
  while (n-- > 0) {
    // §6.2.2 step 1: W_0..W_15 are the block's big-endian words; then
    // W_t = σ1(W_t-2) + W_t-7 + σ0(W_t-15) + W_t-16, σ0 = ROTR7 ^ ROTR18 ^ SHR3, σ1 = ROTR17 ^ ROTR19 ^ SHR10.
    for (i = 0; i < 16; i++, p += 4) w[i] = d[p] * 16777216 + d[p + 1] * 65536 + d[p + 2] * 256 + d[p + 3];
    for (; i < 64; i++) {
      x = w[i - 2];
      y = w[i - 15];
      w[i] = (((x >>> 17) + x * 32768) ^ ((x >>> 19) + x * 8192) ^ (x >>> 10)) + w[i - 7] +
        (((y >>> 7) + (y << 25)) ^ ((y >>> 18) + y * 16384) ^ (y >>> 3)) + w[i - 16];
    }
    a = s[0]; b = s[1]; c = s[2]; dd = s[3]; e = s[4]; f = s[5]; g = s[6]; h = s[7];
    y = b ^ c;
    // §6.2.2 step 3: T1 = h + Σ1(e) + Ch(e,f,g) + K_t + W_t, T2 = Σ0(a) + Maj(a,b,c), with
    // Σ1 = ROTR6 ^ ROTR11 ^ ROTR25, Σ0 = ROTR2 ^ ROTR13 ^ ROTR22, Ch = g ^ (e & (f ^ g)).
    for (i = 0; i < 64; i++) {
      t1 = h + (((e >>> 6) + (e << 26)) ^ ((e >>> 11) + e * 2097152) ^ ((e >>> 25) + e * 128)) +
        (g ^ (e & (f ^ g))) + k[i] + w[i];
      x = a ^ b;
      t2 = (((a >>> 2) + (a << 30)) ^ ((a >>> 13) + a * 524288) ^ ((a >>> 22) + a * 1024)) + (b ^ (x & y));
      y = x;
      h = g; g = f; f = e; e = dd + t1 | 0;
      dd = c; c = b; b = a; a = t1 + t2 | 0;
    }
    // §6.2.2 step 4.
    s[0] += a; s[1] += b; s[2] += c; s[3] += dd; s[4] += e; s[5] += f; s[6] += g; s[7] += h;
  }
}

/** Streaming SHA-256. `digest` ends the instance: it wipes the state, and any later call fails. */
export class Sha256 {
  static blockLen = 64;
  static outputLen = 32;
  // The md.ts state (public for mdUpdate/mdDigest; not part of the API).
  s = new Int32Array(IV);
  buf = new Uint8Array(64);
  pos = 0;
  len = 0;
  done = false;

  update(data: Uint8Array): Sha256 {
    mdUpdate(this, compress, data, "Sha256");
    return this;
  }

  digest(): Uint8Array {
    return mdDigest(this, compress, W, "Sha256");
  }
}

/** SHA-256 of `data` (FIPS 180-4 §6.2). */
export function sha256(data: Uint8Array): Uint8Array {
  var native = ACCEL.sha256;
  checkBytes(data, "data");
  // The board's one-shot hash on the caller's bytes (firmware/crypto/accel.ts): no streaming state,
  // no copies. Longer messages take the portable compression, as streamed ones do (md.ts).
  if (native && data.length <= ONE_SHOT_MAX) return native(data);
  return new Sha256().update(data).digest();
}
