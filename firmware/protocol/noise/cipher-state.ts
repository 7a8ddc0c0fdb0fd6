/**
 * Noise CipherState (revision 34, §5.1) over ChaChaPoly (§12.3): a key k (or none) and a nonce n.
 *
 * Nonce layout (§12.3): 4 zero bytes ‖ n as a 64-bit little-endian integer, the 96-bit nonce of
 * RFC 8439. n is checked **before** use. §5.1 reserves 2^64−1; we stop earlier, at
 * NONCE_LIMIT = 2^53, the largest count a JS number holds exactly: a key may encrypt or decrypt
 * with nonces 0 … 2^53−1, and the next call fails with PROTO_NONCE_EXHAUSTED. Rekey() keeps n.
 *
 * A failed decryption (PROTO_AUTH) wipes k and leaves the CipherState unusable: every later call
 * fails with PROTO_BAD_STATE. A session that sees one forged or corrupted message ends (§5.1
 * allows the caller to continue; we choose not to, so that a caller cannot forget to stop).
 */
import { fail, checkBytes } from "../../errors";
import { wipe, view } from "../../crypto/bytes";
import { aeadSeal, aeadOpen } from "../../crypto/aead";

/** 2^53: the first nonce this implementation refuses to use (see the file comment). */
export var NONCE_LIMIT = 9007199254740992;
/** §3: every Noise message, handshake or transport, is at most 65535 bytes. */
export var MAX_MESSAGE_LEN = 65535;
/** §5: the AEAD tag length. */
export var TAG_LEN = 16;

var EMPTY = new Uint8Array(0);
/** Nonce scratch: rebuilt before every AEAD call, never secret, never held across calls. */
var NONCE = new Uint8Array(12);
/** §11.3 REKEY: encrypt 32 zero bytes under nonce 2^64−1 (4 zero bytes ‖ ff × 8). */
var REKEY_NONCE = new Uint8Array([0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]);
var ZEROS32 = new Uint8Array(32);

/** §12.3: the 12-byte nonce for counter n (n < 2^53, so the high word is an exact division). */
function nonceOf(n: number): Uint8Array {
  var lo = n >>> 0, hi = (n - lo) / 4294967296, b = NONCE;
  b[4] = lo; b[5] = lo >>> 8; b[6] = lo >>> 16; b[7] = lo >>> 24;
  b[8] = hi; b[9] = hi >>> 8; b[10] = hi >>> 16; b[11] = hi >>> 24;
  return b;
}

export class CipherState {
  /** The 32-byte key, or null for "empty" (§5.1). Owned: wiped when replaced or destroyed. */
  private k: Uint8Array | null = null;
  /** The next nonce. */
  n = 0;
  private failed = false;

  /** §5.1 InitializeKey(key): takes a copy of `key` (or empty for null) and sets n = 0. */
  initializeKey(key: Uint8Array | null): void {
    this.live();
    if (key !== null) checkBytes(key, "key", 32);
    if (this.k) wipe(this.k);
    this.k = null;
    if (key !== null) {
      this.k = new Uint8Array(32);
      this.k.set(key);
    }
    this.n = 0;
  }

  /** §5.1 HasKey(). */
  hasKey(): boolean {
    return this.k !== null;
  }

  /** §5.1 SetNonce(nonce): for transports that carry explicit counters. 0 ≤ nonce ≤ 2^53. */
  setNonce(nonce: number): void {
    this.live();
    if (typeof nonce !== "number" || nonce !== Math.floor(nonce) || nonce < 0 || nonce > NONCE_LIMIT)
      fail("PROTO_BAD_INPUT", "nonce must be an integer from 0 to 2^53");
    this.n = nonce;
  }

  /**
   * §5.1 EncryptWithAd(ad, plaintext): ciphertext ‖ tag under nonce n, then n + 1. Without a key,
   * a copy of the plaintext (§5.1: "Otherwise returns plaintext").
   */
  encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    this.live();
    checkBytes(ad, "ad");
    checkBytes(plaintext, "plaintext");
    var k = this.k;
    if (k === null) {
      if (plaintext.length > MAX_MESSAGE_LEN) fail("PROTO_BAD_LENGTH", "a Noise message is at most 65535 bytes");
      var copy = new Uint8Array(plaintext.length);
      copy.set(plaintext);
      return copy;
    }
    if (plaintext.length > MAX_MESSAGE_LEN - TAG_LEN) fail("PROTO_BAD_LENGTH", "a Noise message is at most 65535 bytes");
    if (this.n >= NONCE_LIMIT) fail("PROTO_NONCE_EXHAUSTED", "this key has used all 2^53 nonces; rekeying does not reset them");
    var ct = aeadSeal(k, nonceOf(this.n), plaintext, ad);
    this.n++;
    return ct;
  }

  /**
   * §5.1 DecryptWithAd(ad, ciphertext): the plaintext, then n + 1. Without a key, a copy of the
   * ciphertext. On an authentication failure the key is wiped and the state is dead (PROTO_AUTH).
   */
  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    this.live();
    checkBytes(ad, "ad");
    checkBytes(ciphertext, "ciphertext");
    if (ciphertext.length > MAX_MESSAGE_LEN) fail("PROTO_BAD_LENGTH", "a Noise message is at most 65535 bytes");
    var k = this.k;
    if (k === null) {
      var copy = new Uint8Array(ciphertext.length);
      copy.set(ciphertext);
      return copy;
    }
    if (ciphertext.length < TAG_LEN) {
      this.destroy();
      fail("PROTO_BAD_LENGTH", "ciphertext shorter than the 16-byte tag");
    }
    if (this.n >= NONCE_LIMIT) fail("PROTO_NONCE_EXHAUSTED", "this key has used all 2^53 nonces; rekeying does not reset them");
    var pt = aeadOpen(k, nonceOf(this.n), ciphertext, ad);
    if (pt === null) {
      this.destroy();
      fail("PROTO_AUTH", "message failed authentication; this cipher state is now unusable");
    }
    this.n++;
    return pt as Uint8Array;
  }

  /** §5.1 Rekey() with §11.3's default REKEY(k): the first 32 bytes of ENCRYPT(k, 2^64−1, "", 0^32). n is unchanged. */
  rekey(): void {
    this.live();
    var k = this.k;
    if (k === null) fail("PROTO_BAD_STATE", "Rekey needs a key");
    var out = aeadSeal(k as Uint8Array, REKEY_NONCE, ZEROS32, EMPTY);
    (k as Uint8Array).set(view(out, 0, 32));
    wipe(out);
  }

  /** Wipes the key and makes every later call fail with PROTO_BAD_STATE. */
  destroy(): void {
    if (this.k) wipe(this.k);
    this.k = null;
    this.failed = true;
  }

  /** True once destroyed (after a failed decryption or an explicit destroy). */
  isDestroyed(): boolean {
    return this.failed;
  }

  private live(): void {
    if (this.failed) fail("PROTO_BAD_STATE", "cipher state was destroyed (failed decryption or end of session)");
  }
}
