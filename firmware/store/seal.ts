/**
 * Sealing one record (docs/flash-format.md §2). Every record has its own ChaCha20-Poly1305 key,
 * chosen by a 16-byte salt kept in its header:
 *
 *   salt       = HMAC-SHA256(salt key, header bytes 0 … 20 ‖ plaintext)[0 … 16)
 *   record key = HMAC-SHA256(storage key, salt)
 *   nonce      = generation u32 ‖ version u32 ‖ 00 × 4
 *
 * The salt is a MAC of everything that is sealed (the header fields and the plaintext), as in
 * SIV: two records share a record key and nonce only when their header fields and plaintexts are
 * identical, so their ciphertexts are too. No flash state (a rewound version counter, erased data
 * pages, a key page restored from an old image) can make two different plaintexts share a
 * keystream, and sealing needs no random source.
 */
import { aeadOpen, aeadSeal } from "../crypto/aead";
import { Hmac, hmacSha256 } from "../crypto/hmac";
import { Sha256 } from "../crypto/sha256";
import { view, wipe } from "../crypto/bytes";
import { REC_FIELDS, SALT, SALT_LEN, be32, recordAad, recordNonce, setRecordSalt } from "./format";
import type { StoreKeys } from "./keys";

/** The record key for `salt` (the caller wipes it). */
export function recordKey(aeadKey: Uint8Array, salt: Uint8Array): Uint8Array {
  return hmacSha256(aeadKey, salt);
}

/** Fills the header's salt and crc from the plaintext; returns ciphertext ‖ tag. */
export function sealRecord(keys: StoreKeys, header: Uint8Array, pt: Uint8Array): Uint8Array {
  var mac = new Hmac(Sha256, keys.saltKey).update(view(header, 0, REC_FIELDS)).update(pt).digest();
  setRecordSalt(header, mac);
  wipe(mac);
  var rk = recordKey(keys.aeadKey, view(header, SALT, SALT + SALT_LEN));
  var sealed = aeadSeal(rk, recordNonce(be32(header, 8), be32(header, 4)), pt, recordAad(header, 0));
  wipe(rk);
  return sealed;
}

/** Opens the sealed payload of the record whose header is at b[o …]; null when it does not authenticate. */
export function openRecord(keys: StoreKeys, b: Uint8Array, o: number, sealed: Uint8Array): Uint8Array | null {
  var rk = recordKey(keys.aeadKey, view(b, o + SALT, o + SALT + SALT_LEN));
  var pt = aeadOpen(rk, recordNonce(be32(b, o + 8), be32(b, o + 4)), sealed, recordAad(b, o));
  wipe(rk);
  return pt;
}
