/**
 * Native crypto a board may offer the firmware (docs/engines.md, "The native accelerator"). Every
 * member is optional: an absent one means the portable TypeScript runs, which is also the oracle
 * the native code is tested against. The driver builds one from the board file's `accel` field
 * (hal/espruino/accel.ts: the Cortex-M kernel through E.nativeCall, require("crypto")'s hashes);
 * firmware/crypto/accel.ts routes the core's calls to it, so no firmware module knows which runs.
 * Each function has been checked against known vectors by the driver before it is offered.
 */
export interface Accel {
  /** What runs, for logs and the bench: e.g. "cortex-m4-blob+espruino-crypto". */
  name: string;
  /** X25519 (RFC 7748 §5) into `out`; all three are 32 bytes. Clamps the scalar, masks bit 255 of the point. */
  x25519?: (out: Uint8Array, scalar: Uint8Array, point: Uint8Array) => void;
  /** Elligator 2 u-coordinate map of CPace (RFC 9380 §6.7.1, Z = 2) of r[0..32) into `out` (32 bytes). */
  elligator2?: (out: Uint8Array, r: Uint8Array) => void;
  /**
   * AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8), arguments already checked by firmware/crypto/aead.ts
   * (key 32 bytes, nonce 12, the lengths in range): `seal` returns ciphertext ‖ 16-byte tag, `open`
   * the plaintext or null when the tag (compared in constant time) does not verify. New arrays.
   */
  aead?: {
    seal: (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) => Uint8Array;
    open: (key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array) => Uint8Array | null;
  };
  /**
   * HMAC-SHA-256 (RFC 2104) of a whole message, and HKDF-SHA-256 (RFC 5869 Extract then Expand,
   * `length` ≤ 8160): new arrays. Arguments already checked by firmware/crypto/hmac.ts and hkdf.ts.
   */
  hmacSha256?: (key: Uint8Array, data: Uint8Array) => Uint8Array;
  hkdfSha256?: (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) => Uint8Array;
  /**
   * HMAC_DRBG (SP 800-90A §10.1.2) steps on the working state K, V (32 bytes each, updated in
   * place): `update` is HMAC_DRBG_Update with provided_data = the parts joined; `generate` is one
   * request's steps 2-6 (Update(additional) if not empty, n bytes out, Update(additional)).
   * firmware/entropy/drbg.ts keeps the checks, the reseed counter and the entropy source.
   */
  drbg?: {
    update: (K: Uint8Array, V: Uint8Array, parts: Uint8Array[]) => void;
    generate: (K: Uint8Array, V: Uint8Array, n: number, additional: Uint8Array) => Uint8Array;
  };
  /** One-shot SHA-256 / SHA-512 of a whole message (a new array). */
  sha256?: (data: Uint8Array) => Uint8Array;
  sha512?: (data: Uint8Array) => Uint8Array;
}
