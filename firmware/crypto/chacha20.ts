/**
 * ChaCha20 stream cipher, RFC 8439 §2.3–2.4: 256-bit key, 96-bit nonce, 32-bit block counter.
 * ES5 + typed arrays; the state lives in locals and one module-level scratch block is reused.
 */
import { checkBytes } from "../errors";
import { wipe, badInput } from "./bytes";

/** §2.3: the input state (constants, key, counter, nonce) of the block being produced. */
var S = new Int32Array(16);
/** Keystream of the current block (serialized little-endian, §2.3). */
var KS = new Uint8Array(64);
/** The working state after the rounds, before it is added to S and serialized. */
var X = new Int32Array(16);

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
 * §2.3: 20 rounds (10 double rounds: column and diagonal quarter rounds, §2.1/§2.2) over S,
 * add S back in, serialize into KS. `| 0` keeps every word an int32; rotations are shift pairs.
 */
function block(): void {
  var s = S, x0 = s[0], x1 = s[1], x2 = s[2], x3 = s[3], x4 = s[4], x5 = s[5], x6 = s[6], x7 = s[7],
    x8 = s[8], x9 = s[9], x10 = s[10], x11 = s[11], x12 = s[12], x13 = s[13], x14 = s[14], x15 = s[15], t: number;
  // 20 rounds, each a column round followed by the involution that turns diagonals into columns:
  // row r, column c moves to column (r − c) mod 4, so the next column round works on the diagonals
  // (§2.2: QUARTERROUND(0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14)), and the next permutation
  // undoes it. 384 bytes less image than 32 unrolled quarter rounds, for +2.3% instructions per
  // AEAD byte on Duktape (18 register moves a round).
  for (var i = 0; i < 20; i++) {
    // QUARTERROUND(0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15)
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
    t = x1; x1 = x3; x3 = t;
    t = x4; x4 = x5; x5 = t; t = x6; x6 = x7; x7 = t;
    t = x8; x8 = x10; x10 = t;
    t = x12; x12 = x15; x15 = t; t = x13; x13 = x14; x14 = t;
  }
  // Add the input state back and serialize little-endian: a loop over X (the 64 unrolled byte
  // stores cost ~600 bytes of image for ~3% of a block's operations).
  var x = X, k = KS;
  x[0] = x0; x[1] = x1; x[2] = x2; x[3] = x3; x[4] = x4; x[5] = x5; x[6] = x6; x[7] = x7;
  x[8] = x8; x[9] = x9; x[10] = x10; x[11] = x11; x[12] = x12; x[13] = x13; x[14] = x14; x[15] = x15;
  for (var i = 0; i < 64; i += 4) {
    t = x[i >> 2] + s[i >> 2] | 0;
    k[i] = t; k[i + 1] = t >> 8; k[i + 2] = t >> 16; k[i + 3] = t >> 24;
  }
}

/** Throws CRYPTO_BAD_INPUT unless `counter` is an integer in [0, 2^32 − 1]. */
function checkCounter(counter: number): void {
  if (typeof counter !== "number" || !(counter >= 0 && counter <= 0xffffffff) || Math.floor(counter) !== counter)
    badInput("counter must be an integer in [0, 2^32-1]");
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
  wipe(X);
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
  wipe(X);
  wipe(KS);
}

/** Throws CRYPTO_BAD_INPUT if `len` bytes from block `counter` would need a counter past 2^32 − 1. */
export function checkCounterRange(counter: number, len: number): void {
  // The last block used is counter + ceil(len / 64) − 1; exact in doubles (< 2^39).
  if (len > 0 && counter + Math.ceil(len / 64) - 1 > 0xffffffff)
    badInput("ChaCha20 block counter would pass 2^32-1");
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
