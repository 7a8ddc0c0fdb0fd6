/**
 * CPace, suite CPACE-X25519-SHA512 (draft-irtf-cfrg-cpace-21 §3 and §4.1): one party's side of one
 * run. Construct it with the password-related string PRS, the channel identifier CI, the session
 * id sid and our associated data AD; send `Y` (and AD); give the peer's Y and AD to `deriveIsk`.
 *
 *   g = calculate_generator(SHA-512, PRS, CI, sid)
 *   y = sample_scalar() = 32 random bytes;  Y = scalar_mult(y, g) = X25519(y, g)
 *   K = scalar_mult_vfy(y, Y_peer) = X25519(y, Y_peer); abort if K = G.I (32 zero bytes)
 *   ISK = SHA-512(lv_cat("CPace255_ISK", sid, K) ‖ transcript)
 *   transcript = transcript_ir(Ya, ADa, Yb, ADb) with roles, transcript_oc(…) without
 *
 * Wiped: g as soon as Y is computed; y and K as soon as ISK is; a failed run (low-order share)
 * wipes y at once. The object is single-use. ISK belongs to the caller, who must put it through a
 * KDF before use (§9.2) and wipe it.
 */
import { fail, checkBytes } from "../../errors";
import { wipe, concatBytes } from "../../crypto/bytes";
import { sha512 } from "../../crypto/sha512";
import { x25519 } from "../../crypto/x25519";
import { lvCat, transcriptIr, transcriptOc } from "./encoding";
import { calculateGenerator } from "./generator";

/** G_X25519.field_size_bytes. */
export var CPACE_SHARE_LEN = 32;
/** DSI ‖ "_ISK" = "CPace255_ISK". */
export var DSI_ISK = new Uint8Array([0x43, 0x50, 0x61, 0x63, 0x65, 0x32, 0x35, 0x35, 0x5f, 0x49, 0x53, 0x4b]);
/** "CPaceSidOutput". */
var SID_OUTPUT = new Uint8Array([0x43, 0x50, 0x61, 0x63, 0x65, 0x53, 0x69, 0x64, 0x4f, 0x75, 0x74, 0x70, 0x75, 0x74]);
var EMPTY = new Uint8Array(0);

/** G_X25519.sample_scalar(): 32 bytes from `random` (X25519 clamps them). The caller wipes it. */
export function sampleScalar(random: (n: number) => Uint8Array): Uint8Array {
  var y = random(CPACE_SHARE_LEN);
  checkBytes(y, "random(32) output", CPACE_SHARE_LEN);
  return y;
}

/** G_X25519.scalar_mult(y, g) = X25519(y, g). */
export function scalarMult(y: Uint8Array, g: Uint8Array): Uint8Array {
  return x25519(y, g);
}

/**
 * G_X25519.scalar_mult_vfy(y, X) = X25519(y, X), which is G.I (32 zero bytes) for every low-order
 * X, including the encodings with bit 255 set (RFC 7748 decodeUCoordinate clears it).
 */
export function scalarMultVfy(y: Uint8Array, X: Uint8Array): Uint8Array {
  return x25519(y, X);
}

/** K = G.I? Branch-free over the bytes: K is secret when it is not the identity. */
export function isIdentity(K: Uint8Array): boolean {
  var acc = 0;
  for (var i = 0; i < K.length; i++) acc |= K[i];
  return acc === 0;
}

/** ISK = SHA-512(lv_cat(DSI_ISK, sid, K) ‖ transcript). */
export function deriveIskFrom(sid: Uint8Array, K: Uint8Array, transcript: Uint8Array): Uint8Array {
  var prefix = lvCat([DSI_ISK, sid, K]);
  var input = concatBytes([prefix, transcript]);
  var isk = sha512(input);
  wipe(prefix);
  wipe(input);
  return isk;
}

/** The optional session-id output of Appendix "Test vector for optional output of session id": SHA-512("CPaceSidOutput" ‖ transcript). */
export function sidOutputOf(transcript: Uint8Array): Uint8Array {
  return sha512(concatBytes([SID_OUTPUT, transcript]));
}

export interface CPaceOptions {
  /** "initiator" (A), "responder" (B): transcript_ir. "symmetric": transcript_oc, for parties without roles. */
  role: string;
  /** The password-related string (for firstlight the setup code). */
  prs: Uint8Array;
  /** Channel identifier. Default empty. */
  ci?: Uint8Array;
  /** Session id, unique per run (§3.1). Default empty (discouraged). */
  sid?: Uint8Array;
  /** Our associated data (ADa or ADb). Default empty. */
  ad?: Uint8Array;
  /** Randomness for the scalar: `random(32)`. */
  random: (n: number) => Uint8Array;
}

export class CPace {
  /** Our share Ya or Yb: send it with `ad`. */
  Y: Uint8Array;
  ad: Uint8Array;
  private role: number;
  private sid: Uint8Array;
  private y: Uint8Array;
  private transcript: Uint8Array | null = null;
  private used = false;

  constructor(opts: CPaceOptions) {
    if (!opts || typeof opts !== "object") fail("PROTO_BAD_INPUT", "CPace needs an options object");
    var role = opts.role === "initiator" ? 0 : opts.role === "responder" ? 1 : opts.role === "symmetric" ? 2 : -1;
    if (role < 0) fail("PROTO_BAD_INPUT", "role must be 'initiator', 'responder' or 'symmetric'");
    if (typeof opts.random !== "function") fail("PROTO_BAD_INPUT", "CPace needs random(n)");
    var ci = opts.ci || EMPTY, sid = opts.sid || EMPTY, ad = opts.ad || EMPTY;
    checkBytes(opts.prs, "prs");
    checkBytes(ci, "ci");
    checkBytes(sid, "sid");
    checkBytes(ad, "ad");
    this.role = role;
    this.sid = new Uint8Array(sid.length);
    this.sid.set(sid);
    this.ad = new Uint8Array(ad.length);
    this.ad.set(ad);
    var g = calculateGenerator(opts.prs, ci, sid);
    this.y = sampleScalar(opts.random);
    this.Y = scalarMult(this.y, g);
    wipe(g);
  }

  /**
   * Takes the peer's share and associated data and returns ISK (64 bytes). A share that is not
   * 32 bytes is PROTO_BAD_LENGTH; a low-order share (K = G.I) aborts with PROTO_BAD_SHARE. Either
   * way, or on success, the scalar is wiped and the object cannot be used again.
   */
  deriveIsk(peerY: Uint8Array, peerAd?: Uint8Array): Uint8Array {
    if (this.used) fail("PROTO_BAD_STATE", "this CPace run is finished");
    this.used = true;
    var pad = peerAd === undefined ? EMPTY : peerAd;
    if (!(peerY instanceof Uint8Array) || peerY.length !== CPACE_SHARE_LEN) {
      wipe(this.y);
      fail("PROTO_BAD_LENGTH", "the peer's CPace share must be 32 bytes");
    }
    checkBytes(pad, "peer AD");
    var K = scalarMultVfy(this.y, peerY);
    wipe(this.y);
    if (isIdentity(K)) fail("PROTO_BAD_SHARE", "the peer's CPace share is a low-order point");
    var r = this.role;
    this.transcript = r === 0 ? transcriptIr(this.Y, this.ad, peerY, pad)
      : r === 1 ? transcriptIr(peerY, pad, this.Y, this.ad)
      : transcriptOc(this.Y, this.ad, peerY, pad);
    var isk = deriveIskFrom(this.sid, K, this.transcript);
    wipe(K);
    return isk;
  }

  /** SHA-512("CPaceSidOutput" ‖ transcript), after deriveIsk: a public session id both sides share. */
  sidOutput(): Uint8Array {
    if (this.transcript === null) fail("PROTO_BAD_STATE", "sidOutput needs a completed run");
    return sidOutputOf(this.transcript as Uint8Array);
  }

  /** Abandons the run: wipes the scalar. */
  destroy(): void {
    wipe(this.y);
    this.used = true;
  }
}
