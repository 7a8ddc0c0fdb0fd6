/**
 * HKDF (RFC 5869) over HMAC-SHA-256 and HMAC-SHA-512: Extract, Expand, and both in one call.
 * Every intermediate block T(i) is wiped once copied out; the PRK made by the one-call form is wiped.
 */
import { checkBytes } from "../errors";
import { wipe, badInput, view } from "./bytes";
import { Hmac, HashConstructor } from "./hmac";
import { Sha256 } from "./sha256";
import { Sha512 } from "./sha512";
import { ACCEL } from "./accel";

/**
 * RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM). An empty salt stands for HashLen zero bytes, which
 * HMAC's zero-padding of the key already makes identical.
 */
function extract(hash: HashConstructor, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  checkBytes(salt, "salt");
  checkBytes(ikm, "ikm");
  if (hash === Sha256 && ACCEL.hmacSha256) return ACCEL.hmacSha256(salt, ikm);
  return new Hmac(hash, salt).update(ikm).digest();
}

/** RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = the first L bytes of T(1) | T(2) | … */
function expand(hash: HashConstructor, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  var hashLen = hash.outputLen;
  checkBytes(prk, "prk");
  checkBytes(info, "info");
  if (prk.length < hashLen) badInput("prk must be at least " + hashLen + " bytes, got " + prk.length);
  checkLength(hashLen, length);
  var okm = new Uint8Array(length), t: Uint8Array = new Uint8Array(0), counter = new Uint8Array(1), i: number, n: number;
  for (i = 1, n = 0; n < length; i++) {
    counter[0] = i;
    var next = new Hmac(hash, prk).update(t).update(info).update(counter).digest();
    wipe(t);
    t = next;
    okm.set(length - n < hashLen ? view(t, 0, length - n) : t, n);
    n += hashLen;
  }
  wipe(t);
  return okm;
}

function checkLength(hashLen: number, length: number): void {
  if (typeof length !== "number" || length !== Math.floor(length) || length < 0 || length > 255 * hashLen)
    badInput("length must be an integer in 0.." + 255 * hashLen + ", got " + length);
}

function hkdf(hash: HashConstructor, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (hash === Sha256 && ACCEL.hkdfSha256) {
    checkBytes(ikm, "ikm");
    checkBytes(salt, "salt");
    checkBytes(info, "info");
    checkLength(32, length);
    return ACCEL.hkdfSha256(ikm, salt, info, length); // the board's native kernel (firmware/crypto/accel.ts)
  }
  var prk = extract(hash, salt, ikm);
  try {
    return expand(hash, prk, info, length);
  } finally {
    wipe(prk);
  }
}

/** HKDF-Extract with SHA-256: a 32-byte PRK. */
export function hkdfSha256Extract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(Sha256, salt, ikm);
}

/** HKDF-Expand with SHA-256: `length` bytes (0..8160) from a PRK of at least 32 bytes. */
export function hkdfSha256Expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return expand(Sha256, prk, info, length);
}

/** HKDF with SHA-256 (Extract then Expand): `length` bytes (0..8160). */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdf(Sha256, ikm, salt, info, length);
}

/** HKDF-Extract with SHA-512: a 64-byte PRK. */
export function hkdfSha512Extract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(Sha512, salt, ikm);
}

/** HKDF-Expand with SHA-512: `length` bytes (0..16320) from a PRK of at least 64 bytes. */
export function hkdfSha512Expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return expand(Sha512, prk, info, length);
}

/** HKDF with SHA-512 (Extract then Expand): `length` bytes (0..16320). */
export function hkdfSha512(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdf(Sha512, ikm, salt, info, length);
}
