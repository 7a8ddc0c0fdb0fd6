/**
 * CPACE-X25519-SHA512, draft-irtf-cfrg-cpace-21, initiator-responder mode (host side, on @noble).
 * Section numbers below are the draft's.
 */
import { x25519 } from "@noble/curves/ed25519.js";
import { mod, pow, invert } from "@noble/curves/abstract/modular.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { concatBytes, utf8Encode, wipe } from "./bytes.ts";
import { CommissionerError } from "./errors.ts";

/** G_X25519.DSI and DSI_ISK (§7.2), SHA-512 input block size s_in_bytes (§6.1). */
export const DSI = utf8Encode("CPace255");
export const DSI_ISK = utf8Encode("CPace255_ISK");
export const S_IN_BYTES = 128;
const FIELD_BYTES = 32;

const P = 2n ** 255n - 19n;
const A = 486662n;

/** prepend_len (§5.1): LEB128 length, then the data. */
export function prependLen(data: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = data.length;
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    len.push(b);
  } while (n > 0);
  return concatBytes(Uint8Array.from(len), data);
}

/** lv_cat (§5.1). */
export function lvCat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts.map(prependLen));
}

/** lexiographically_larger (§5.3): byte-wise, then the longer one is larger. */
export function lexicographicallyLarger(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] > b[i]) return true;
    if (a[i] < b[i]) return false;
  }
  return a.length > b.length;
}

/** o_cat (§5.3): "oc" then the larger string first. */
export function oCat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const oc = utf8Encode("oc");
  return lexicographicallyLarger(a, b) ? concatBytes(oc, a, b) : concatBytes(oc, b, a);
}

/** transcript_ir (§6.2) for the initiator-responder setting. */
export function transcriptIr(Ya: Uint8Array, ADa: Uint8Array, Yb: Uint8Array, ADb: Uint8Array): Uint8Array {
  return concatBytes(lvCat(Ya, ADa), lvCat(Yb, ADb));
}

/** transcript_oc (§6.2) for the symmetric setting (not used by firstlight; kept for the vectors). */
export function transcriptOc(Ya: Uint8Array, ADa: Uint8Array, Yb: Uint8Array, ADb: Uint8Array): Uint8Array {
  return oCat(lvCat(Ya, ADa), lvCat(Yb, ADb));
}

/** generator_string (§7.1): lv_cat(DSI, PRS, zero_bytes(len_zpad), CI, sid). */
export function generatorString(dsi: Uint8Array, prs: Uint8Array, ci: Uint8Array, sid: Uint8Array, sInBytes = S_IN_BYTES): Uint8Array {
  const lenZpad = Math.max(0, sInBytes - 1 - prependLen(prs).length - prependLen(dsi).length);
  return lvCat(dsi, prs, new Uint8Array(lenZpad), ci, sid);
}

function isSquare(x: bigint): boolean {
  // Euler's criterion; 0 counts as a square (RFC 9380 §4 is_square).
  return x === 0n || pow(x, (P - 1n) / 2n, P) === 1n;
}

/**
 * map_to_curve_elligator2 for curve25519, u-coordinate only (RFC 9380 §6.7.1 with Z = 2, A = 486662,
 * B = 1): X25519 needs no y. Variable time: the input is the hash of a public-length string, and
 * the host is not the constrained side.
 */
export function elligator2Curve25519(u: bigint): bigint {
  let tv1 = mod(2n * u * u, P);
  if (tv1 === P - 1n) tv1 = 0n;
  const x1 = mod(-A * invert(1n + tv1, P), P);
  const gx1 = mod(x1 * x1 * x1 + A * x1 * x1 + x1, P);
  return isSquare(gx1) ? x1 : mod(-x1 - A, P);
}

function decodeLE(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]);
  return n;
}

function encodeLE(n: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

/** calculate_generator (§7.2): SHA-512 of the generator string, first 32 bytes, bit 255 cleared, Elligator2. */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  const hash = sha512(generatorString(DSI, prs, ci, sid)).subarray(0, FIELD_BYTES);
  hash[31] &= 0x7f; // decodeUCoordinate (RFC 7748 §5) for 255 bits
  const u = mod(decodeLE(hash), P);
  return encodeLE(elligator2Curve25519(u), FIELD_BYTES);
}

/**
 * scalar_mult_vfy (§7.2): X25519 with the all-zero result for low-order inputs. noble refuses
 * low-order inputs itself; that refusal is exactly the neutral element here.
 */
export function scalarMultVfy(y: Uint8Array, X: Uint8Array): Uint8Array {
  if (y.length !== 32 || X.length !== 32) throw new CommissionerError("CPACE_BAD_INPUT", "X25519 scalars and points are 32 bytes");
  try {
    return x25519.getSharedSecret(y, X);
  } catch {
    return new Uint8Array(32);
  }
}

function isZero(b: Uint8Array): boolean {
  let d = 0;
  for (let i = 0; i < b.length; i++) d |= b[i];
  return d === 0;
}

/** ISK for the initiator-responder setting (§6.2): H(lv_cat(DSI_ISK, sid, K) ‖ transcript_ir). */
export function iskIr(sid: Uint8Array, K: Uint8Array, Ya: Uint8Array, ADa: Uint8Array, Yb: Uint8Array, ADb: Uint8Array): Uint8Array {
  return sha512(concatBytes(lvCat(DSI_ISK, sid, K), transcriptIr(Ya, ADa, Yb, ADb)));
}

/** ISK for the symmetric setting (vectors only). */
export function iskOc(sid: Uint8Array, K: Uint8Array, Ya: Uint8Array, ADa: Uint8Array, Yb: Uint8Array, ADb: Uint8Array): Uint8Array {
  return sha512(concatBytes(lvCat(DSI_ISK, sid, K), transcriptOc(Ya, ADa, Yb, ADb)));
}

/** The optional session-id output (§9.6): H("CPaceSidOutput" ‖ transcript_ir). */
export function sidOutputIr(Ya: Uint8Array, ADa: Uint8Array, Yb: Uint8Array, ADb: Uint8Array): Uint8Array {
  return sha512(concatBytes(utf8Encode("CPaceSidOutput"), transcriptIr(Ya, ADa, Yb, ADb)));
}

export function sidOutputOc(Ya: Uint8Array, ADa: Uint8Array, Yb: Uint8Array, ADb: Uint8Array): Uint8Array {
  return sha512(concatBytes(utf8Encode("CPaceSidOutput"), transcriptOc(Ya, ADa, Yb, ADb)));
}

export interface CPaceInputs {
  prs: Uint8Array;
  ci: Uint8Array;
  sid: Uint8Array;
  ad?: Uint8Array;
  /** Fixed secret scalar, for vectors only; otherwise 32 random bytes (sample_scalar, §7.2). */
  scalar?: Uint8Array;
}

/** One party's share: the secret scalar and the public message Y = X25519(y, g). */
export interface CPaceShare {
  y: Uint8Array;
  Y: Uint8Array;
}

export function cpaceShare(o: CPaceInputs): CPaceShare {
  if (o.sid.length === 0) throw new CommissionerError("CPACE_BAD_INPUT", "initiator-responder CPace needs a sid");
  const g = calculateGenerator(o.prs, o.ci, o.sid);
  const y = o.scalar ? o.scalar.slice() : randomBytes(32);
  const Y = scalarMultVfy(y, g);
  wipe(g);
  return { y, Y };
}

/**
 * K = scalar_mult_vfy(y, Y_peer) with the abort of §6.2: a low-order peer share gives the all-zero
 * string and the protocol stops (BAD_SHARE). The scalar is wiped here, its last use.
 */
export function cpaceSharedSecret(share: CPaceShare, peerY: Uint8Array): Uint8Array {
  if (peerY.length !== 32) throw new CommissionerError("CPACE_BAD_INPUT", "a CPace share is 32 bytes");
  const K = scalarMultVfy(share.y, peerY);
  wipe(share.y);
  if (isZero(K)) throw new CommissionerError("BAD_SHARE", "the peer's CPace share is a low-order point");
  return K;
}

/** The initiator's ISK once Yb has arrived; K is wiped here. */
export function cpaceInitiatorFinish(share: CPaceShare, sid: Uint8Array, Yb: Uint8Array, ADa = new Uint8Array(0), ADb = new Uint8Array(0)): Uint8Array {
  const K = cpaceSharedSecret(share, Yb);
  const isk = iskIr(sid, K, share.Y, ADa, Yb, ADb);
  wipe(K);
  return isk;
}

/** The responder's side in one step (used by the test device): its share and the ISK. */
export function cpaceRespond(o: CPaceInputs, Ya: Uint8Array, ADa = new Uint8Array(0)): { Yb: Uint8Array; isk: Uint8Array } {
  const share = cpaceShare(o);
  const K = cpaceSharedSecret(share, Ya);
  const isk = iskIr(o.sid, K, Ya, ADa, share.Y, o.ad ?? new Uint8Array(0));
  wipe(K);
  return { Yb: share.Y, isk };
}
