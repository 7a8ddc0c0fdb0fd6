/**
 * AEAD_CHACHA20_POLY1305, RFC 8439 §2.8: 256-bit key, 96-bit nonce, 128-bit tag; wire format ct ‖ tag.
 * Opening checks the tag (constant time) before anything is decrypted.
 */
import { checkBytes } from "../errors";
import { ctEqual, wipe, badInput, view } from "./bytes";
import { chacha20BlockInto, chacha20XorInto, checkCounterRange } from "./chacha20";
import { Poly1305 } from "./poly1305";
import { ACCEL } from "./accel";

var ZEROS = new Uint8Array(16);
var EMPTY = new Uint8Array(0);

function checkArgs(key: Uint8Array, nonce: Uint8Array, data: Uint8Array, aad: Uint8Array | undefined): Uint8Array {
  checkBytes(key, "key", 32);
  checkBytes(nonce, "nonce", 12);
  checkBytes(data, "data");
  if (aad === undefined || aad === null) return EMPTY;
  checkBytes(aad, "aad");
  return aad;
}

/**
 * §2.8: tag over aad ‖ pad16 ‖ ct ‖ pad16 ‖ le64(|aad|) ‖ le64(|ct|), with the one-time key
 * from block 0 (§2.6). The one-time key is wiped before returning.
 */
function tagOf(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
  var otk = new Uint8Array(32);
  chacha20BlockInto(key, nonce, 0, otk);
  var mac = new Poly1305(otk);
  wipe(otk);
  mac.update(aad);
  if ((aad.length & 15) !== 0) mac.update(view(ZEROS, aad.length & 15));
  mac.update(ct);
  if ((ct.length & 15) !== 0) mac.update(view(ZEROS, ct.length & 15));
  var lens = new Uint8Array(16);
  putLe64(lens, 0, aad.length);
  putLe64(lens, 8, ct.length);
  return mac.update(lens).digest();
}

/** Lengths are below 2^53 (JS array lengths), so the high word is an exact division. */
function putLe64(b: Uint8Array, i: number, n: number): void {
  var lo = n >>> 0, hi = (n - lo) / 4294967296;
  b[i] = lo; b[i + 1] = lo >>> 8; b[i + 2] = lo >>> 16; b[i + 3] = lo >>> 24;
  b[i + 4] = hi; b[i + 5] = hi >>> 8; b[i + 6] = hi >>> 16; b[i + 7] = hi >>> 24;
}

/**
 * RFC 8439 §2.8 encryption: returns ciphertext ‖ 16-byte tag (a new array).
 * The caller must never use the same nonce twice with one key.
 */
export function aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  var a = checkArgs(key, nonce, plaintext, aad);
  var n = plaintext.length;
  checkCounterRange(1, n);
  if (ACCEL.aead) return ACCEL.aead.seal(key, nonce, plaintext, a); // the board's native kernel (firmware/crypto/accel.ts)
  var out = new Uint8Array(n + 16);
  chacha20XorInto(key, nonce, 1, plaintext, out, 0);
  out.set(tagOf(key, nonce, a, view(out, 0, n)), n);
  return out;
}

/**
 * RFC 8439 §2.8 decryption of ct ‖ tag. Returns the plaintext (a new array), or null when the
 * tag does not verify; nothing is decrypted unless it does.
 */
export function aeadOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null {
  var a = checkArgs(key, nonce, sealed, aad);
  if (sealed.length < 16) badInput("sealed data shorter than the 16-byte tag");
  var n = sealed.length - 16;
  checkCounterRange(1, n);
  if (ACCEL.aead) return ACCEL.aead.open(key, nonce, sealed, a);
  var ct = view(sealed, 0, n);
  var tag = tagOf(key, nonce, a, ct), ok = ctEqual(tag, view(sealed, n));
  // The expected tag of a forged ciphertext is exactly what a forger wants: wipe it.
  wipe(tag);
  if (!ok) return null;
  var out = new Uint8Array(n);
  chacha20XorInto(key, nonce, 1, ct, out, 0);
  return out;
}
