/**
 * The entropy pool: raw samples → health tests (SP 800-90B §4.4) → SHA-256 conditioning (§3.1.5.1.1,
 * a vetted conditioning component) → credited bits.
 *
 * State: a running SHA-256 over every sample since the last extraction, keyed by the 32-byte pool
 * state S. `extract()` folds the running hash into S (S ← SHA-256(0x00 ‖ S ‖ ctr ‖ digest)) and
 * outputs SHA-256(0x01 ‖ S): the output is a one-way function of a state that changes on every call,
 * so it never repeats even without new samples, and an output reveals nothing of the next.
 *
 * Crediting: a source gives at most `bitsPerByte` × bytes (the board's claim), never above its
 * assessed min-entropy ceiling, and nothing at all until its 1024 start-up samples have passed
 * (§4.3 req. 9). A source credited 0 bits/byte (a fixed-seed PRNG, a serial number, a saved seed)
 * is mixed in but never credited and has no health tests (it claims no entropy to test).
 */
import { fail } from "../errors";
import { wipe } from "../crypto/bytes";
import { Sha256 } from "../crypto/sha256";
import { HealthTests, STARTUP_SAMPLES } from "./health";

/** Bits one SHA-256 output can carry: credit beyond this per extraction is not counted twice. */
export var POOL_OUTPUT_BITS = 256;

export interface PoolSource {
  name: string;
  /** Credited min-entropy per byte after the board's claim and the ceiling: 0 … 8. */
  bitsPerByte: number;
  /** Null for uncredited sources. */
  health: HealthTests | null;
  /** Credit earned during start-up, released when the start-up tests complete. */
  pending: number;
  bytes: number;
}

var SEP0 = new Uint8Array([0]);
var SEP1 = new Uint8Array([1]);

export class EntropyPool {
  sources: PoolSource[] = [];
  /** Credited bits mixed in since the last extraction (what the next output may carry). */
  fresh = 0;
  /** Credited bits since boot: what the gate counts. */
  total = 0;
  /** The source and test that failed, sticky: "SOURCE: TEST". */
  failure: string | null = null;
  private state = new Uint8Array(32);
  private ctr = new Uint8Array(4);
  private running = new Sha256();

  /**
   * Registers a source. `bitsPerByte` is the board's claim; `ceiling` the assessed min-entropy of
   * the source (default 8, a byte's maximum): the credit is the smaller, so a board can only be
   * more conservative than the assessment.
   */
  addSource(name: string, bitsPerByte: number, ceiling?: number): number {
    var cap = ceiling === undefined ? 8 : ceiling;
    if (typeof bitsPerByte !== "number" || !(bitsPerByte >= 0 && bitsPerByte <= 8) || !(cap >= 0 && cap <= 8))
      fail("ENTROPY_BAD_CONFIG", "bits per byte of " + name + " must be in [0, 8], got " + bitsPerByte);
    var h = bitsPerByte < cap ? bitsPerByte : cap;
    this.sources.push({ name: name, bitsPerByte: h, health: h > 0 ? new HealthTests(h) : null, pending: 0, bytes: 0 });
    return this.sources.length - 1;
  }

  /**
   * Mixes `n` raw samples of source `id` (all of `samples` when n is omitted) and credits them.
   * Returns the failure ("SOURCE: TEST") once any credited source has failed a health test;
   * the failed chunk is not mixed in.
   */
  mix(id: number, samples: Uint8Array, n?: number): string | null {
    if (this.failure !== null) return this.failure;
    var src = this.sources[id], len = n === undefined ? samples.length : n, ht = src.health;
    if (ht !== null && ht.check(samples, len) !== null) {
      this.failure = src.name + ": " + ht.failure;
      return this.failure;
    }
    this.running.update(len === samples.length ? samples : samples.subarray(0, len));
    src.bytes += len;
    if (ht !== null) {
      var bits = len * src.bitsPerByte;
      if (ht.samples < STARTUP_SAMPLES) src.pending += bits;
      else {
        bits += src.pending;
        src.pending = 0;
        this.fresh += bits;
        this.total += bits;
      }
    }
    return null;
  }

  /** Credited bits the next output carries (at most 256). */
  available(): number {
    return this.fresh < POOL_OUTPUT_BITS ? this.fresh : POOL_OUTPUT_BITS;
  }

  /** 32 bytes of conditioned output; consumes the fresh credit. Fails once a source has failed. */
  extract(): Uint8Array {
    if (this.failure !== null) fail("ENTROPY_SOURCE_FAILED", "health test failed: " + this.failure);
    var ctr = this.ctr, i;
    for (i = 3; i >= 0 && ++ctr[i] === 0; i--);
    var d = this.running.digest();
    var s = new Sha256().update(SEP0).update(this.state).update(ctr).update(d).digest();
    wipe(d);
    wipe(this.state);
    this.state = s;
    var out = new Sha256().update(SEP1).update(s).digest();
    // The next running hash starts keyed by the new state, so its digest depends on all history.
    this.running = new Sha256().update(s);
    this.fresh = 0;
    return out;
  }

  /** Wipes the state (shutdown, or a failure that ends key generation). */
  destroy(): void {
    wipe(this.state);
    wipe(this.running.digest());
    this.running = new Sha256();
    this.fresh = 0;
  }
}
