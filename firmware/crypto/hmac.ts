/**
 * HMAC (RFC 2104; FIPS 198-1) over SHA-256 and SHA-512: one-shot `hmacSha256`/`hmacSha512` and
 * streaming `HmacSha256`/`HmacSha512`. Keys longer than the hash block are hashed first (RFC 2104 §2);
 * the padded key blocks and any hashed key are wiped as soon as they have been absorbed.
 */
import { checkBytes, fail } from "../errors";
import { wipe } from "./bytes";
import { Sha256 } from "./sha256";
import { Sha512 } from "./sha512";
import { ACCEL } from "./accel";

/** What HMAC needs from a hash: a streaming instance and its block and output lengths. */
export interface StreamingHash {
  update(data: Uint8Array): StreamingHash;
  digest(): Uint8Array;
}
export interface HashConstructor {
  new (): StreamingHash;
  blockLen: number;
  outputLen: number;
}

/** Streaming HMAC over any `HashConstructor`. `digest` ends the instance, as for the hashes. */
export class Hmac {
  private inner: StreamingHash;
  private outer: StreamingHash;
  private done = false;

  constructor(hash: HashConstructor, key: Uint8Array) {
    checkBytes(key, "key");
    var B = hash.blockLen, pad = new Uint8Array(B), i;
    // RFC 2104 §2: K is hashed when longer than B, then zero-padded to B bytes.
    if (key.length > B) {
      var hk = new hash().update(key).digest();
      pad.set(hk);
      wipe(hk);
    } else pad.set(key);
    for (i = 0; i < B; i++) pad[i] ^= 0x36;
    this.inner = new hash().update(pad);
    // 0x36 ^ 0x5c turns K ^ ipad into K ^ opad in place.
    for (i = 0; i < B; i++) pad[i] ^= 0x6a;
    this.outer = new hash().update(pad);
    wipe(pad);
  }

  update(data: Uint8Array): Hmac {
    if (this.done) fail("CRYPTO_BAD_STATE", "Hmac.update after digest");
    checkBytes(data, "data");
    this.inner.update(data);
    return this;
  }

  /** H(K ^ opad || H(K ^ ipad || text)) (RFC 2104 §2). */
  digest(): Uint8Array {
    if (this.done) fail("CRYPTO_BAD_STATE", "Hmac.digest called twice");
    this.done = true;
    var ih = this.inner.digest();
    var out = this.outer.update(ih).digest();
    wipe(ih);
    return out;
  }
}

/**
 * `new HmacSha256(key)` / `new HmacSha512(key)`: an Hmac over SHA-256 / SHA-512. Plain functions
 * that return the Hmac (a constructor that returns an object yields that object), not subclasses:
 * ES5 subclassing pulls in the __extends helper, ~400 bytes of image.
 */
export var HmacSha256 = function (key: Uint8Array): Hmac {
  return new Hmac(Sha256, key);
} as unknown as { new (key: Uint8Array): Hmac };

export var HmacSha512 = function (key: Uint8Array): Hmac {
  return new Hmac(Sha512, key);
} as unknown as { new (key: Uint8Array): Hmac };

/** HMAC-SHA-256(key, data): 32 bytes. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (ACCEL.hmacSha256) {
    checkBytes(key, "key");
    checkBytes(data, "data");
    return ACCEL.hmacSha256(key, data); // the board's native kernel (firmware/crypto/accel.ts)
  }
  return new Hmac(Sha256, key).update(data).digest();
}

/** HMAC-SHA-512(key, data): 64 bytes. */
export function hmacSha512(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Hmac(Sha512, key).update(data).digest();
}
