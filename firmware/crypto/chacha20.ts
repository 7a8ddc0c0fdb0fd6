/**
 * ChaCha20 stream cipher, RFC 8439 §2.3–2.4: 256-bit key, 96-bit nonce, 32-bit block counter.
 * ES5 + typed arrays; the state lives in locals and one module-level scratch block is reused.
 */
import { fail, checkBytes } from "../errors";
import { wipe } from "./bytes";

/** §2.3: the input state (constants, key, counter, nonce) of the block being produced. */
var S = new Int32Array(16);
/** Keystream of the current block (serialized little-endian, §2.3). */
var KS = new Uint8Array(64);

function le32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/** §2.3: "expand 32-byte k", key words 4–11, counter word 12, nonce words 13–15. */
function setup(key: Uint8Array, nonce: Uint8Array, counter: number): void {
  S[0] = 0x61707865; S[1] = 0x3320646e; S[2] = 0x79622d32; S[3] = 0x6b206574;
  for (var i = 0; i < 8; i++) S[4 + i] = le32(key, 4 * i);
  S[12] = counter | 0;
  S[13] = le32(nonce, 0); S[14] = le32(nonce, 4); S[15] = le32(nonce, 8);
}

/**
 * §2.3: 20 rounds (10 double rounds: 4 column + 4 diagonal quarter rounds, §2.1/§2.2) over S,
 * add S back in, serialize into KS. `| 0` keeps every word an int32; rotations are shift pairs.
 */
function block(): void {
  var j0 = S[0], j1 = S[1], j2 = S[2], j3 = S[3], j4 = S[4], j5 = S[5], j6 = S[6], j7 = S[7],
    j8 = S[8], j9 = S[9], j10 = S[10], j11 = S[11], j12 = S[12], j13 = S[13], j14 = S[14], j15 = S[15];
  var x0 = j0, x1 = j1, x2 = j2, x3 = j3, x4 = j4, x5 = j5, x6 = j6, x7 = j7,
    x8 = j8, x9 = j9, x10 = j10, x11 = j11, x12 = j12, x13 = j13, x14 = j14, x15 = j15, t: number;
  for (var i = 0; i < 10; i++) {
    // Column rounds: QUARTERROUND(0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15)
    x0 = x0 + x4 | 0; t = x12 ^ x0; x12 = t << 16 | t >>> 16;
    x8 = x8 + x12 | 0; t = x4 ^ x8; x4 = t << 12 | t >>> 20;
    x0 = x0 + x4 | 0; t = x12 ^ x0; x12 = t << 8 | t >>> 24;
    x8 = x8 + x12 | 0; t = x4 ^ x8; x4 = t << 7 | t >>> 25;
    x1 = x1 + x5 | 0; t = x13 ^ x1; x13 = t << 16 | t >>> 16;
    x9 = x9 + x13 | 0; t = x5 ^ x9; x5 = t << 12 | t >>> 20;
    x1 = x1 + x5 | 0; t = x13 ^ x1; x13 = t << 8 | t >>> 24;
    x9 = x9 + x13 | 0; t = x5 ^ x9; x5 = t << 7 | t >>> 25;
    x2 = x2 + x6 | 0; t = x14 ^ x2; x14 = t << 16 | t >>> 16;
    x10 = x10 + x14 | 0; t = x6 ^ x10; x6 = t << 12 | t >>> 20;
    x2 = x2 + x6 | 0; t = x14 ^ x2; x14 = t << 8 | t >>> 24;
    x10 = x10 + x14 | 0; t = x6 ^ x10; x6 = t << 7 | t >>> 25;
    x3 = x3 + x7 | 0; t = x15 ^ x3; x15 = t << 16 | t >>> 16;
    x11 = x11 + x15 | 0; t = x7 ^ x11; x7 = t << 12 | t >>> 20;
    x3 = x3 + x7 | 0; t = x15 ^ x3; x15 = t << 8 | t >>> 24;
    x11 = x11 + x15 | 0; t = x7 ^ x11; x7 = t << 7 | t >>> 25;
    // Diagonal rounds: QUARTERROUND(0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14)
    x0 = x0 + x5 | 0; t = x15 ^ x0; x15 = t << 16 | t >>> 16;
    x10 = x10 + x15 | 0; t = x5 ^ x10; x5 = t << 12 | t >>> 20;
    x0 = x0 + x5 | 0; t = x15 ^ x0; x15 = t << 8 | t >>> 24;
    x10 = x10 + x15 | 0; t = x5 ^ x10; x5 = t << 7 | t >>> 25;
    x1 = x1 + x6 | 0; t = x12 ^ x1; x12 = t << 16 | t >>> 16;
    x11 = x11 + x12 | 0; t = x6 ^ x11; x6 = t << 12 | t >>> 20;
    x1 = x1 + x6 | 0; t = x12 ^ x1; x12 = t << 8 | t >>> 24;
    x11 = x11 + x12 | 0; t = x6 ^ x11; x6 = t << 7 | t >>> 25;
    x2 = x2 + x7 | 0; t = x13 ^ x2; x13 = t << 16 | t >>> 16;
    x8 = x8 + x13 | 0; t = x7 ^ x8; x7 = t << 12 | t >>> 20;
    x2 = x2 + x7 | 0; t = x13 ^ x2; x13 = t << 8 | t >>> 24;
    x8 = x8 + x13 | 0; t = x7 ^ x8; x7 = t << 7 | t >>> 25;
    x3 = x3 + x4 | 0; t = x14 ^ x3; x14 = t << 16 | t >>> 16;
    x9 = x9 + x14 | 0; t = x4 ^ x9; x4 = t << 12 | t >>> 20;
    x3 = x3 + x4 | 0; t = x14 ^ x3; x14 = t << 8 | t >>> 24;
    x9 = x9 + x14 | 0; t = x4 ^ x9; x4 = t << 7 | t >>> 25;
  }
  // Uint8Array stores keep the low 8 bits, so no `& 255` is needed.
  var k = KS;
  t = x0 + j0 | 0; k[0] = t; k[1] = t >> 8; k[2] = t >> 16; k[3] = t >> 24;
  t = x1 + j1 | 0; k[4] = t; k[5] = t >> 8; k[6] = t >> 16; k[7] = t >> 24;
  t = x2 + j2 | 0; k[8] = t; k[9] = t >> 8; k[10] = t >> 16; k[11] = t >> 24;
  t = x3 + j3 | 0; k[12] = t; k[13] = t >> 8; k[14] = t >> 16; k[15] = t >> 24;
  t = x4 + j4 | 0; k[16] = t; k[17] = t >> 8; k[18] = t >> 16; k[19] = t >> 24;
  t = x5 + j5 | 0; k[20] = t; k[21] = t >> 8; k[22] = t >> 16; k[23] = t >> 24;
  t = x6 + j6 | 0; k[24] = t; k[25] = t >> 8; k[26] = t >> 16; k[27] = t >> 24;
  t = x7 + j7 | 0; k[28] = t; k[29] = t >> 8; k[30] = t >> 16; k[31] = t >> 24;
  t = x8 + j8 | 0; k[32] = t; k[33] = t >> 8; k[34] = t >> 16; k[35] = t >> 24;
  t = x9 + j9 | 0; k[36] = t; k[37] = t >> 8; k[38] = t >> 16; k[39] = t >> 24;
  t = x10 + j10 | 0; k[40] = t; k[41] = t >> 8; k[42] = t >> 16; k[43] = t >> 24;
  t = x11 + j11 | 0; k[44] = t; k[45] = t >> 8; k[46] = t >> 16; k[47] = t >> 24;
  t = x12 + j12 | 0; k[48] = t; k[49] = t >> 8; k[50] = t >> 16; k[51] = t >> 24;
  t = x13 + j13 | 0; k[52] = t; k[53] = t >> 8; k[54] = t >> 16; k[55] = t >> 24;
  t = x14 + j14 | 0; k[56] = t; k[57] = t >> 8; k[58] = t >> 16; k[59] = t >> 24;
  t = x15 + j15 | 0; k[60] = t; k[61] = t >> 8; k[62] = t >> 16; k[63] = t >> 24;
}

/** Throws CRYPTO_BAD_INPUT unless `counter` is an integer in [0, 2^32 − 1]. */
function checkCounter(counter: number): void {
  if (typeof counter !== "number" || !(counter >= 0 && counter <= 0xffffffff) || Math.floor(counter) !== counter)
    fail("CRYPTO_BAD_INPUT", "counter must be an integer in [0, 2^32-1]");
}

/**
 * Internal (trusted arguments): writes the 64-byte block for `counter` into `out`
 * (only its first `out.length` ≤ 64 bytes). Used by the AEAD for the one-time Poly1305 key (§2.6).
 */
export function chacha20BlockInto(key: Uint8Array, nonce: Uint8Array, counter: number, out: Uint8Array): void {
  setup(key, nonce, counter);
  block();
  for (var i = 0; i < out.length; i++) out[i] = KS[i];
  wipe(S);
  wipe(KS);
}

/**
 * Internal (trusted arguments): §2.4 encryption of `input[0..len)` into `out[outOff..)`, blocks
 * numbered from `counter`. The caller guarantees the counter does not pass 2^32 − 1.
 * `out` may be `input` itself with outOff 0 (in place).
 */
export function chacha20XorInto(key: Uint8Array, nonce: Uint8Array, counter: number,
  input: Uint8Array, out: Uint8Array, outOff: number): void {
  var n = input.length, k = KS, i = 0, o = outOff, j: number, e: number;
  setup(key, nonce, counter);
  while (i < n) {
    block();
    S[12] = S[12] + 1 | 0;
    e = n - i;
    if (e > 64) e = 64;
    for (j = 0; j < e; j++) out[o + j] = input[i + j] ^ k[j];
    i += e;
    o += e;
  }
  wipe(S);
  wipe(KS);
}

/** Throws CRYPTO_BAD_INPUT if `len` bytes from block `counter` would need a counter past 2^32 − 1. */
export function checkCounterRange(counter: number, len: number): void {
  // The last block used is counter + ceil(len / 64) − 1; exact in doubles (< 2^39).
  if (len > 0 && counter + Math.ceil(len / 64) - 1 > 0xffffffff)
    fail("CRYPTO_BAD_INPUT", "ChaCha20 block counter would pass 2^32-1");
}

/** RFC 8439 §2.3: the 64-byte keystream block for (key, nonce, counter). */
export function chacha20Block(key: Uint8Array, nonce: Uint8Array, counter: number): Uint8Array {
  checkBytes(key, "key", 32);
  checkBytes(nonce, "nonce", 12);
  checkCounter(counter);
  var out = new Uint8Array(64);
  chacha20BlockInto(key, nonce, counter, out);
  return out;
}

/**
 * RFC 8439 §2.4: `input` XOR the keystream starting at block `counter`, in a new array.
 * Encryption and decryption are the same operation. Never reuse a (key, nonce) pair.
 */
export function chacha20Xor(key: Uint8Array, nonce: Uint8Array, counter: number, input: Uint8Array): Uint8Array {
  checkBytes(key, "key", 32);
  checkBytes(nonce, "nonce", 12);
  checkBytes(input, "input");
  checkCounter(counter);
  checkCounterRange(counter, input.length);
  var out = new Uint8Array(input.length);
  chacha20XorInto(key, nonce, counter, input, out, 0);
  return out;
}
