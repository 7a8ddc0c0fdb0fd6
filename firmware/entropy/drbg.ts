/**
 * HMAC_DRBG with SHA-256 (SP 800-90A Rev. 1 §10.1.2), security strength 256 bits.
 * Limits follow mbedTLS's defaults: reseed interval 10 000 requests, at most 1024 bytes per request.
 * Every error has its own code: callers can tell "reseed first" from "bad request" from "not seeded".
 */
import { checkBytes, fail } from "../errors";
import { wipe, view } from "../crypto/bytes";
import { HmacSha256 } from "../crypto/hmac";
import { ACCEL } from "../crypto/accel";

/** §10.1 Table 2: security strength of SHA-256 HMAC_DRBG; the minimum entropy input in bytes. */
export var DRBG_MIN_ENTROPY_BYTES = 32;
/** §8.6.7: the nonce carries at least half the security strength. */
export var DRBG_MIN_NONCE_BYTES = 16;
/** Our bound on entropy input, personalization and additional input (90A allows 2^35 bits; heaps do not). */
export var DRBG_MAX_INPUT_BYTES = 1024;
export var DRBG_MAX_REQUEST_BYTES = 1024;
export var DRBG_RESEED_INTERVAL = 10000;

var ZERO = new Uint8Array([0]);
var ONE = new Uint8Array([1]);
var EMPTY = new Uint8Array(0);

/** Supplies fresh entropy input for a reseed (prediction resistance, or the reseed interval). */
export type EntropySource = () => Uint8Array;

function checkInput(b: Uint8Array | undefined | null, name: string, min: number): Uint8Array {
  if (b === undefined || b === null) {
    if (min > 0) fail("ENTROPY_BAD_INPUT", name + " is required");
    return EMPTY;
  }
  checkBytes(b, name);
  if (b.length < min) fail("ENTROPY_SEED_TOO_SHORT", name + " must be at least " + min + " bytes, got " + b.length);
  if (b.length > DRBG_MAX_INPUT_BYTES) fail("ENTROPY_BAD_INPUT", name + " must be at most " + DRBG_MAX_INPUT_BYTES + " bytes");
  return b;
}

export class HmacDrbg {
  /** §10.1.2.1: the working state (V, Key, reseed_counter); null K means uninstantiated. */
  private K: Uint8Array | null = null;
  private V: Uint8Array | null = null;
  reseedCounter = 0;
  reseedInterval: number;
  private source: EntropySource | null;

  /**
   * `source` (optional) supplies entropy input when prediction resistance is requested or the
   * reseed interval has run out (§9.3.1 steps 7–9); without it those cases fail.
   */
  constructor(source?: EntropySource | null, reseedInterval?: number) {
    this.source = source || null;
    this.reseedInterval = reseedInterval === undefined ? DRBG_RESEED_INTERVAL : reseedInterval;
  }

  /** §10.1.2.2 HMAC_DRBG_Update with provided_data = a ‖ b ‖ c. */
  private update(a: Uint8Array, b: Uint8Array, c: Uint8Array): void {
    if (ACCEL.drbg) return ACCEL.drbg.update(this.K as Uint8Array, this.V as Uint8Array, [a, b, c]); // one native call (firmware/crypto/accel.ts)
    var rounds = a.length + b.length + c.length > 0 ? 2 : 1;
    for (var r = 0; r < rounds; r++) {
      var k = new HmacSha256(this.K as Uint8Array).update(this.V as Uint8Array).update(r > 0 ? ONE : ZERO)
        .update(a).update(b).update(c).digest();
      wipe(this.K as Uint8Array);
      this.K = k;
      var v = new HmacSha256(k).update(this.V as Uint8Array).digest();
      wipe(this.V as Uint8Array);
      this.V = v;
    }
  }

  /** §10.1.2.3: Key = 0x00…, V = 0x01…, Update(entropy ‖ nonce ‖ personalization). */
  instantiate(entropy: Uint8Array, nonce: Uint8Array, personalization?: Uint8Array | null): void {
    var e = checkInput(entropy, "entropy input", DRBG_MIN_ENTROPY_BYTES);
    var n = checkInput(nonce, "nonce", DRBG_MIN_NONCE_BYTES);
    var p = checkInput(personalization, "personalization string", 0);
    this.uninstantiate();
    this.K = new Uint8Array(32);
    this.V = new Uint8Array(32);
    for (var i = 0; i < 32; i++) this.V[i] = 1;
    this.update(e, n, p);
    this.reseedCounter = 1;
  }

  /** §10.1.2.4: Update(entropy ‖ additional), reseed_counter = 1. */
  reseed(entropy: Uint8Array, additional?: Uint8Array | null): void {
    if (this.K === null) fail("ENTROPY_DRBG_UNINSTANTIATED", "reseed before instantiate");
    var e = checkInput(entropy, "entropy input", DRBG_MIN_ENTROPY_BYTES);
    var a = checkInput(additional, "additional input", 0);
    this.update(e, a, EMPTY);
    this.reseedCounter = 1;
  }

  /**
   * §9.3.1 + §10.1.2.5: `n` bytes (1 … 1024). With `predictionResistance`, or once the reseed
   * interval has run out, it first reseeds from the source with the additional input, which is then
   * not used again (§9.3.1 step 9.4); without a source those cases throw.
   */
  generate(n: number, additional?: Uint8Array | null, predictionResistance?: boolean): Uint8Array {
    if (this.K === null) fail("ENTROPY_DRBG_UNINSTANTIATED", "generate before instantiate");
    if (typeof n !== "number" || n !== Math.floor(n) || n < 1 || n > DRBG_MAX_REQUEST_BYTES)
      fail("ENTROPY_BAD_REQUEST", "request must be 1 to " + DRBG_MAX_REQUEST_BYTES + " bytes, got " + n);
    var a = checkInput(additional, "additional input", 0);
    if (predictionResistance && this.source === null)
      fail("ENTROPY_PR_UNAVAILABLE", "prediction resistance needs an entropy source");
    if (predictionResistance || this.reseedCounter > this.reseedInterval) {
      if (this.source === null) fail("ENTROPY_DRBG_RESEED_REQUIRED", "reseed interval of " + this.reseedInterval + " requests reached");
      var e = this.source();
      this.reseed(e, a);
      wipe(e);
      a = EMPTY;
    }
    if (ACCEL.drbg) {
      // Steps 2-6 in one native call; K and V change in place.
      var r = ACCEL.drbg.generate(this.K as Uint8Array, this.V as Uint8Array, n, a);
      this.reseedCounter++;
      return r;
    }
    // §10.1.2.5 step 2: additional input updates the state before output.
    if (a.length > 0) this.update(a, EMPTY, EMPTY);
    var out = new Uint8Array(n), K = this.K as Uint8Array, o = 0;
    while (o < n) {
      var v = new HmacSha256(K).update(this.V as Uint8Array).digest();
      wipe(this.V as Uint8Array);
      this.V = v;
      var take = n - o < 32 ? n - o : 32;
      out.set(take === 32 ? v : view(v, 0, take), o);
      o += take;
    }
    // Step 6: backtracking resistance — the state that produced `out` is gone after this.
    this.update(a, EMPTY, EMPTY);
    this.reseedCounter++;
    return out;
  }

  /** §9.4: wipes the working state; generate then fails until instantiate. */
  uninstantiate(): void {
    if (this.K !== null) wipe(this.K);
    if (this.V !== null) wipe(this.V);
    this.K = null;
    this.V = null;
    this.reseedCounter = 0;
  }

  /** True between instantiate and uninstantiate. */
  instantiated(): boolean {
    return this.K !== null;
  }
}

/**
 * Copies of V and Key, for the NIST CAVP intermediate-value checks only. It reads a DRBG the caller
 * created itself; the gate's DRBG is private to the gate's closure and never passed here.
 */
export function drbgInternalState(d: HmacDrbg): { V: Uint8Array | null; Key: Uint8Array | null; reseedCounter: number } {
  var s = d as unknown as { V: Uint8Array | null; K: Uint8Array | null };
  return {
    V: s.V === null ? null : new Uint8Array(s.V),
    Key: s.K === null ? null : new Uint8Array(s.K),
    reseedCounter: d.reseedCounter,
  };
}
