/**
 * Noise DH functions for 25519 (revision 34, §4.1 and §12.1): DHLEN = 32, X25519 of RFC 7748.
 * The ephemeral comes from an injected `random(n)`: on a device the entropy gate, in tests a
 * vector's fixed key.
 */
import { fail, checkBytes } from "../../errors";
import { wipe } from "../../crypto/bytes";
import { x25519, x25519Base } from "../../crypto/x25519";

export var DHLEN = 32;

/** Where ephemeral private keys come from: `random(32)` returns 32 fresh bytes the caller may keep and wipe. */
export type RandomSource = (n: number) => Uint8Array;

export interface KeyPair {
  /** Private key, owned by whoever holds the KeyPair and wiped by it. */
  priv: Uint8Array;
  pub: Uint8Array;
}

/** §4.1 GENERATE_KEYPAIR(): 32 bytes from `random` (clamped inside X25519) and their public key. */
export function generateKeypair(random: RandomSource): KeyPair {
  var priv = random(DHLEN);
  checkBytes(priv, "random(32) output", DHLEN);
  return { priv: priv, pub: x25519Base(priv) };
}

/** The public key of a private key given by the caller (copied: the caller keeps its own). */
export function keypairOf(priv: Uint8Array): KeyPair {
  checkBytes(priv, "private key", DHLEN);
  var own = new Uint8Array(DHLEN);
  own.set(priv);
  return { priv: own, pub: x25519Base(own) };
}

/**
 * §4.1 DH(key_pair, public_key). §12.1 lets implementations reject an invalid public key; we do
 * when the output is all zero (RFC 7748 §6.1: a low-order point), with PROTO_BAD_KEY. The check
 * ORs every byte (no early exit): the output is secret when it is not zero.
 */
export function dh(priv: Uint8Array, pub: Uint8Array): Uint8Array {
  var out = x25519(priv, pub), acc = 0;
  for (var i = 0; i < DHLEN; i++) acc |= out[i];
  if (acc === 0) {
    wipe(out);
    fail("PROTO_BAD_KEY", "peer public key gives an all-zero DH output (low-order point)");
  }
  return out;
}
