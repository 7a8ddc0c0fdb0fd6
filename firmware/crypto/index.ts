/**
 * The portable crypto core: the plain object that images publish as `firstlight.crypto`.
 * A plain object literal (not a module namespace) so that small engines look members up directly.
 */
import { ctEqual, wipe, copyBytes, concatBytes, toHex, fromHex, utf8Encode, utf8Decode } from "./bytes";
import { chacha20Block, chacha20Xor } from "./chacha20";
import { poly1305, Poly1305 } from "./poly1305";
import { aeadSeal, aeadOpen } from "./aead";
import { sha256, Sha256 } from "./sha256";
import { sha512, Sha512 } from "./sha512";
import { hmacSha256, hmacSha512, HmacSha256, HmacSha512 } from "./hmac";
import { x25519, x25519Base, x25519Shared, x25519Keypair } from "./x25519";
import { hkdfSha256, hkdfSha256Extract, hkdfSha256Expand, hkdfSha512, hkdfSha512Extract, hkdfSha512Expand } from "./hkdf";

export var cryptoApi = {
  ctEqual: ctEqual,
  wipe: wipe,
  copyBytes: copyBytes,
  concatBytes: concatBytes,
  toHex: toHex,
  fromHex: fromHex,
  utf8Encode: utf8Encode,
  utf8Decode: utf8Decode,
  sha256: sha256,
  Sha256: Sha256,
  sha512: sha512,
  Sha512: Sha512,
  hmacSha256: hmacSha256,
  hmacSha512: hmacSha512,
  HmacSha256: HmacSha256,
  HmacSha512: HmacSha512,
  hkdfSha256: hkdfSha256,
  hkdfSha256Extract: hkdfSha256Extract,
  hkdfSha256Expand: hkdfSha256Expand,
  hkdfSha512: hkdfSha512,
  hkdfSha512Extract: hkdfSha512Extract,
  hkdfSha512Expand: hkdfSha512Expand,
  chacha20Block: chacha20Block,
  chacha20Xor: chacha20Xor,
  poly1305: poly1305,
  Poly1305: Poly1305,
  aeadSeal: aeadSeal,
  aeadOpen: aeadOpen,
  x25519: x25519,
  x25519Base: x25519Base,
  x25519Shared: x25519Shared,
  x25519Keypair: x25519Keypair,
};
