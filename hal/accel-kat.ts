/**
 * Known answers a driver checks before it offers a native accelerator member (hal/accel.ts): each
 * check runs the member on published vectors and returns null when it answers right, else a sentence
 * saying what it gave. Shared by the drivers (hal/jerryscript/accel.ts). ES5.
 */
import type { Accel } from "./accel";
import { fromHex, toHex } from "../firmware/crypto/bytes";

/**
 * RFC 7748 §5.2's first vector (scalar, u, output), then draft-irtf-cfrg-cpace-21's X25519
 * generator vector (the hash of the generator string, g).
 */
var CURVE = [
  "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
  "03998087bdb1a2617bbe25ef5a7c18cd4f84f902328701790958755ee4aed1d3",
  "d04bf6d41f6a289632a2e929fa29bebd51092512a7829fdde7d314b62f05a73f",
];

export function x25519Kat(x25519: NonNullable<Accel["x25519"]>): string | null {
  var got = new Uint8Array(32);
  x25519(got, fromHex(CURVE[0]), fromHex(CURVE[1]));
  return toHex(got) === CURVE[2] ? null : "X25519 gave " + toHex(got) + " for RFC 7748 §5.2's first vector";
}

export function elligator2Kat(elligator2: NonNullable<Accel["elligator2"]>): string | null {
  var got = new Uint8Array(32);
  elligator2(got, fromHex(CURVE[3]));
  return toHex(got) === CURVE[4] ? null : "Elligator 2 gave " + toHex(got) + " for CPace's generator vector";
}

var ABC = new Uint8Array([97, 98, 99]);

/**
 * ChaCha20-Poly1305: key 00 01 … 1f, nonce 00 01 … 0b, aad "abc", plaintext "firstlight" →
 * ciphertext ‖ tag (@noble/ciphers; RFC 8439 §2.8). Open must give the plaintext back and refuse
 * the same bytes with the last tag bit flipped.
 */
var AEAD = "ef927a735d7bcc27dff77909951c6f2985bc5e76b4c6ea2a09d0";

export function aeadKat(aead: NonNullable<Accel["aead"]>): string | null {
  var key = new Uint8Array(32), nonce = new Uint8Array(12), pt = new Uint8Array([102, 105, 114, 115, 116, 108, 105, 103, 104, 116]);
  for (var i = 0; i < 32; i++) key[i] = i;
  for (i = 0; i < 12; i++) nonce[i] = i;
  var sealed = aead.seal(key, nonce, pt, ABC);
  if (toHex(sealed) !== AEAD) return "AEAD seal gave " + toHex(sealed) + " for the known answer";
  var back = aead.open(key, nonce, sealed, ABC);
  if (back === null || toHex(back) !== toHex(pt)) return "AEAD open did not give the known plaintext back";
  sealed[sealed.length - 1] ^= 1;
  if (aead.open(key, nonce, sealed, ABC) !== null) return "AEAD open accepted a forged tag";
  return null;
}

/**
 * RFC 4231 test case 1 (key 0b×20, "Hi There"), RFC 5869 test case 1 (its 42 bytes), and NIST CAVP
 * HMAC_DRBG SHA-256 pr_false COUNT 0 (the first 8 of its 128 bytes).
 */
var KDF = [
  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
  "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
  "06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d", "0e66f71edc43e42a45ad3c6fc6cdc4df",
  "01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552", "76fc79fe9b50becc",
];

function filled(n: number, v: number): Uint8Array {
  var b = new Uint8Array(n);
  for (var i = 0; i < n; i++) b[i] = v;
  return b;
}

export function kdfKat(hmac: NonNullable<Accel["hmacSha256"]>, hkdf: NonNullable<Accel["hkdfSha256"]>, drbg: NonNullable<Accel["drbg"]>): string | null {
  var h = toHex(hmac(filled(20, 11), new Uint8Array([72, 105, 32, 84, 104, 101, 114, 101])));
  if (h !== KDF[0]) return "HMAC-SHA-256 gave " + h + " for RFC 4231's first test";
  var salt = new Uint8Array(13), info = new Uint8Array(10);
  for (var i = 0; i < 13; i++) salt[i] = i;
  for (i = 0; i < 10; i++) info[i] = 0xf0 + i;
  h = toHex(hkdf(filled(22, 11), salt, info, 42));
  if (h !== KDF[1]) return "HKDF-SHA-256 gave " + h + " for RFC 5869's first test";
  var K = new Uint8Array(32), V = filled(32, 1), none = new Uint8Array(0);
  drbg.update(K, V, [fromHex(KDF[2]), fromHex(KDF[3])]);
  drbg.update(K, V, [fromHex(KDF[4])]);
  drbg.generate(K, V, 128, none);
  h = toHex(drbg.generate(K, V, 128, none)).substring(0, 16);
  return h === KDF[5] ? null : "HMAC_DRBG gave " + h + "… for CAVP pr_false COUNT 0";
}

/** FIPS 180-2's "abc" digests. */
var SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
var SHA512_ABC = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

export function sha2Kat(sha256: NonNullable<Accel["sha256"]>, sha512: NonNullable<Accel["sha512"]>): string | null {
  var a = toHex(sha256(ABC)), b = toHex(sha512(ABC));
  if (a !== SHA256_ABC) return "SHA-256 gave " + a + " for \"abc\"";
  if (b !== SHA512_ABC) return "SHA-512 gave " + b + " for \"abc\"";
  if (sha256(new Uint8Array(0)).length !== 32 || sha512(new Uint8Array(0)).length !== 64) return "a hash of the empty message has the wrong length";
  return null;
}
