/**
 * Elligator 2 for Curve25519, u-coordinate only: map_to_curve_elligator2 of RFC 9380 §6.7.1 with
 * J = 486662, K = 1, Z = 2 (§4.1 of draft-irtf-cfrg-cpace-21 calls it for G_X25519 and drops v).
 *
 *   x1 = −J / (1 + Z·u²)            (1 + Z·u² = 0 cannot happen: −1/2 is not a square mod p,
 *                                     but the CMOV of step 3 is kept so the code follows the RFC)
 *   gx1 = x1³ + J·x1² + x1
 *   x2 = −x1 − J
 *   u_out = is_square(gx1) ? x1 : x2
 *
 * The input derives from the password: every step is branch-free (feCmov on a 0/1 bit), and the
 * scratch field elements are wiped before returning.
 */
import { wipe, view } from "../../crypto/bytes";
import {
  feNew, feOne, feFromBytes, feToBytes, feAdd, feSub, feNeg, feMul, feSqr, feMulSmall,
  feInvert, fePow22523, feCmov, feEqual,
} from "../../crypto/field25519";

// Limb bounds (field25519.ts contract): feAdd/feSub/feNeg do not carry, so every feMul/feSqr/
// feInvert/fePow22523 below takes at most a sum of two carried values on one side and a carried
// value on the other; feMulSmall only multiplies by Z = 2 (J = 486662 is above its 2^17 limit, so
// J is a field constant and costs a multiply).

var u = feNew(), t1 = feNew(), x1 = feNew(), gx1 = feNew(), x2 = feNew(), t = feNew();
var ONE = feNew(), MINUS_ONE = feNew(), ZERO = feNew(), J = feNew();
feOne(ONE);
feNeg(MINUS_ONE, ONE);
// J = 486662 = 0x076d06, little-endian.
feFromBytes(J, new Uint8Array([0x06, 0x6d, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
var BYTES = new Uint8Array(32);

/**
 * Maps a 32-byte string to the u-coordinate of a Curve25519 point (32 bytes, canonical).
 * The input is read as decodeUCoordinate(b, 255) of RFC 7748 §5: little-endian, bit 255 cleared,
 * the value taken mod p.
 */
export function elligator2(r: Uint8Array): Uint8Array {
  BYTES.set(view(r, 0, 32));
  BYTES[31] &= 0x7f;
  feFromBytes(u, BYTES);
  // Steps 1–3: t1 = Z·u²; if t1 = −1 then t1 = 0.
  feSqr(t1, u);
  feMulSmall(t1, t1, 2);
  feCmov(t1, ZERO, +feEqual(t1, MINUS_ONE));
  // Steps 4–6: x1 = −J / (t1 + 1).
  feAdd(x1, t1, ONE);
  feInvert(x1, x1);
  feMul(x1, x1, J);
  feNeg(x1, x1);
  // Step 7: gx1 = ((x1 + J)·x1 + 1)·x1.
  feAdd(gx1, x1, J);
  feMul(gx1, gx1, x1);
  feAdd(gx1, gx1, ONE);
  feMul(gx1, gx1, x1);
  // Step 8: x2 = −x1 − J.
  feNeg(x2, x1);
  feSub(x2, x2, J);
  // Step 10: is_square(gx1) ⇔ gx1^((p−1)/2) ≠ −1, and gx1^((p−1)/2) = (gx1^((p−5)/8))^4 · gx1^2.
  fePow22523(t, gx1);
  feSqr(t, t);
  feMul(t, t, gx1);
  feSqr(t, t);
  // Step 11: x = CMOV(x2, x1, e2): keep x1, take x2 when gx1 is not a square.
  feCmov(x1, x2, +feEqual(t, MINUS_ONE));
  var out = new Uint8Array(32);
  feToBytes(out, x1);
  wipe(u); wipe(t1); wipe(x1); wipe(gx1); wipe(x2); wipe(t);
  wipe(BYTES);
  return out;
}
