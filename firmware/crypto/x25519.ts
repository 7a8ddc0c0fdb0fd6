/**
 * X25519 (RFC 7748 §5) and the Diffie-Hellman use of it (§6.1), on the double-limb field of
 * field25519.ts. The Montgomery ladder runs 255 identical steps whatever the scalar: the only
 * scalar-dependent operation is the masked swap (feCswap), and no memory index depends on a secret.
 * Caveat: an interpreter's own number handling (soft-float, int/double representations) can still
 * vary in time with the data; nothing in this code branches on or indexes by a secret.
 */
import { fail, checkBytes } from "../errors";
import { ACCEL } from "./accel";
import { feNew, feOne, feZero, feCopy, feAdd, feSub, feMul, feSqr, feMulSmall, feCswap, feInvert, feFromBytes, feToBytes } from "./field25519";

// Ladder state and temporaries: module-level, reused by every call, wiped at the end of each.
var X1 = feNew(), X2 = feNew(), Z2 = feNew(), X3 = feNew(), Z3 = feNew();
var TA = feNew(), TB = feNew(), TC = feNew(), TD = feNew();
var K = new Uint8Array(32);
var BASE = new Uint8Array(32);
BASE[0] = 9; // §4.1: the base point has u = 9

/** §5 decodeScalar25519: clear bits 0, 1, 2 and 255, set bit 254 (in place). */
function clamp(k: Uint8Array): void {
  k[0] &= 248;
  k[31] = (k[31] & 127) | 64;
}

/**
 * §5 Montgomery ladder over the clamped scalar in K and u in X1; leaves x_2 / z_2 in X2 / Z2.
 * Functions and scratch are copied into locals: an interpreter resolves a local in one step and an
 * outer-scope name by a lookup, and this loop makes ~4000 calls.
 */
function ladder(): void {
  var k = K, x1 = X1, x2 = X2, z2 = Z2, x3 = X3, z3 = Z3, a = TA, b = TB, c = TC, d = TD;
  var add = feAdd, sub = feSub, mul = feMul, sqr = feSqr, cswap = feCswap;
  var swap = 0, bit: number, t: number;
  feOne(x2);
  feZero(z2);
  feCopy(x3, x1);
  feOne(z3);
  for (t = 254; t >= 0; t--) {
    bit = (k[t >>> 3] >>> (t & 7)) & 1;
    swap ^= bit;
    cswap(x2, x3, swap);
    cswap(z2, z3, swap);
    swap = bit;
    add(a, x2, z2);         // A = x_2 + z_2
    sub(b, x2, z2);         // B = x_2 − z_2
    add(c, x3, z3);         // C = x_3 + z_3
    sub(d, x3, z3);         // D = x_3 − z_3
    mul(d, d, a);           // DA = D·A
    mul(c, c, b);           // CB = C·B
    sqr(a, a);              // AA = A²
    sqr(b, b);              // BB = B²
    add(x3, d, c);
    sqr(x3, x3);            // x_3 = (DA + CB)²
    sub(z3, d, c);
    sqr(z3, z3);
    mul(z3, z3, x1);        // z_3 = x_1·(DA − CB)²
    mul(x2, a, b);          // x_2 = AA·BB
    sub(b, a, b);           // E = AA − BB
    feMulSmall(c, b, 121665);
    add(c, c, a);           // AA + a24·E
    mul(z2, b, c);          // z_2 = E·(AA + a24·E)
  }
  cswap(x2, x3, swap);
  cswap(z2, z3, swap);
}

function wipeState(): void {
  for (var i = 0; i < 32; i++) K[i] = 0;
  feZero(X1); feZero(X2); feZero(Z2); feZero(X3); feZero(Z3);
  feZero(TA); feZero(TB); feZero(TC); feZero(TD);
}

/**
 * X25519(scalar, u), RFC 7748 §5: clamps a copy of the scalar, ignores bit 255 of u and reduces
 * a non-canonical u (≥ p). Returns the 32-byte u-coordinate of scalar·P. No zero check: see
 * x25519Shared.
 */
export function x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  checkBytes(scalar, "scalar", 32);
  checkBytes(u, "u", 32);
  var out = new Uint8Array(32);
  if (ACCEL.x25519) {
    ACCEL.x25519(out, scalar, u); // the board's native kernel (firmware/crypto/accel.ts)
    return out;
  }
  K.set(scalar);
  clamp(K);
  feFromBytes(X1, u);
  ladder();
  feInvert(Z2, Z2);
  feMul(X2, X2, Z2);        // x_2 · z_2^(p−2)
  feToBytes(out, X2);
  wipeState();
  return out;
}

/** The public key of `scalar`: X25519(scalar, 9), §6.1. */
export function x25519Base(scalar: Uint8Array): Uint8Array {
  return x25519(scalar, BASE);
}

/**
 * The shared secret of §6.1, refusing the all-zero result (a low-order or zero public key) with
 * CRYPTO_ZERO_SHARED. The zero test ORs every byte, so its time does not depend on the secret.
 */
export function x25519Shared(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  var s = x25519(secretKey, publicKey), d = 0;
  for (var i = 0; i < 32; i++) d |= s[i];
  if (d === 0) fail("CRYPTO_ZERO_SHARED", "X25519 shared secret is all zero (low-order public key)");
  return s;
}

/** A key pair from 32 secret bytes (a seed from the DRBG): the clamped copy and its public key. */
export function x25519Keypair(seed: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  checkBytes(seed, "seed", 32);
  var secretKey = new Uint8Array(32);
  secretKey.set(seed);
  clamp(secretKey);
  return { secretKey: secretKey, publicKey: x25519(secretKey, BASE) };
}
