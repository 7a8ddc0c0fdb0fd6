/**
 * Noise SymmetricState (revision 34, §5.2) with HASH = SHA-256 (HASHLEN 32) and the CipherState
 * of cipher-state.ts. ck and h are 32 bytes; ck is a secret and is wiped by split() and destroy().
 * h is the transcript hash, kept after split() for channel binding (§11.2).
 */
import { fail } from "../../errors";
import { concatBytes, wipe, view } from "../../crypto/bytes";
import { sha256 } from "../../crypto/sha256";
import { hkdfSha256 } from "../../crypto/hkdf";
import { CipherState } from "./cipher-state";

export var HASHLEN = 32;

var EMPTY = new Uint8Array(0);

/**
 * §4.3 HKDF(chaining_key, input_key_material, num_outputs): temp_key = HMAC(ck, ikm);
 * output1 = HMAC(temp_key, 0x01); output_i = HMAC(temp_key, output_{i−1} ‖ i). That is RFC 5869
 * Extract(salt = ck, ikm) then Expand(temp_key, info = "", 32·num_outputs), split into 32-byte
 * outputs: one hkdfSha256 call (one native call where the board's kernel offers HKDF). Returns
 * `count` (2 or 3) new arrays; the joined output is wiped. The caller wipes the outputs.
 */
export function noiseHkdf(chainingKey: Uint8Array, ikm: Uint8Array, count: number): Uint8Array[] {
  var okm = hkdfSha256(ikm, chainingKey, EMPTY, count * HASHLEN), out: Uint8Array[] = [];
  for (var i = 0; i < count; i++) {
    var o = new Uint8Array(HASHLEN);
    o.set(view(okm, i * HASHLEN, (i + 1) * HASHLEN));
    out.push(o);
  }
  wipe(okm);
  return out;
}

export class SymmetricState {
  /** The CipherState of the handshake; InitializeKey(empty) at the start (§5.2). */
  cs = new CipherState();
  private ck = new Uint8Array(HASHLEN);
  private h = new Uint8Array(HASHLEN);
  private done = false;

  /**
   * §5.2 InitializeSymmetric(protocol_name): h = protocol_name zero-padded to HASHLEN when it fits,
   * else HASH(protocol_name); ck = h.
   */
  constructor(protocolName: Uint8Array) {
    if (protocolName.length <= HASHLEN) this.h.set(protocolName);
    else this.h.set(sha256(protocolName));
    this.ck.set(this.h);
  }

  /** §5.2 MixKey(ikm): ck, temp_k = HKDF(ck, ikm, 2); InitializeKey(temp_k). */
  mixKey(ikm: Uint8Array): void {
    this.live();
    var o = noiseHkdf(this.ck, ikm, 2);
    this.ck.set(o[0]);
    this.cs.initializeKey(o[1]);
    wipe(o[0]);
    wipe(o[1]);
  }

  /** §5.2 MixHash(data): h = HASH(h ‖ data), one one-shot hash (one native call where the board has it). */
  mixHash(data: Uint8Array): void {
    this.live();
    this.h.set(sha256(concatBytes([this.h, data])));
  }

  /** §5.2 MixKeyAndHash(ikm): ck, temp_h, temp_k = HKDF(ck, ikm, 3); MixHash(temp_h); InitializeKey(temp_k). */
  mixKeyAndHash(ikm: Uint8Array): void {
    this.live();
    var o = noiseHkdf(this.ck, ikm, 3);
    this.ck.set(o[0]);
    this.mixHash(o[1]);
    this.cs.initializeKey(o[2]);
    wipe(o[0]);
    wipe(o[1]);
    wipe(o[2]);
  }

  /** §5.2 GetHandshakeHash(): a copy of h (also valid after split()). */
  getHandshakeHash(): Uint8Array {
    var out = new Uint8Array(HASHLEN);
    out.set(this.h);
    return out;
  }

  /** §5.2 EncryptAndHash(plaintext): ciphertext = EncryptWithAd(h, plaintext); MixHash(ciphertext). */
  encryptAndHash(plaintext: Uint8Array): Uint8Array {
    this.live();
    var ct = this.cs.encryptWithAd(this.h, plaintext);
    this.mixHash(ct);
    return ct;
  }

  /** §5.2 DecryptAndHash(ciphertext): plaintext = DecryptWithAd(h, ciphertext); MixHash(ciphertext). */
  decryptAndHash(ciphertext: Uint8Array): Uint8Array {
    this.live();
    var pt = this.cs.decryptWithAd(this.h, ciphertext);
    this.mixHash(ciphertext);
    return pt;
  }

  /**
   * §5.2 Split(): temp_k1, temp_k2 = HKDF(ck, "", 2); two CipherStates keyed with them. Ends the
   * SymmetricState: ck and the handshake key are wiped, h stays readable.
   */
  split(): CipherState[] {
    this.live();
    var o = noiseHkdf(this.ck, EMPTY, 2);
    var c1 = new CipherState(), c2 = new CipherState();
    c1.initializeKey(o[0]);
    c2.initializeKey(o[1]);
    wipe(o[0]);
    wipe(o[1]);
    this.destroy();
    return [c1, c2];
  }

  /** Wipes ck and the handshake CipherState; h stays for GetHandshakeHash. */
  destroy(): void {
    wipe(this.ck);
    this.cs.destroy();
    this.done = true;
  }

  private live(): void {
    if (this.done) fail("PROTO_BAD_STATE", "symmetric state already split or destroyed");
  }
}
