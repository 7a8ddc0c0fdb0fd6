/**
 * The entropy pool: raw samples → health tests (SP 800-90B §4.4) → SHA-256 conditioning (§3.1.5.1.1,
 * a vetted conditioning component) → credited 256-bit blocks.
 *
 * State: a running SHA-256 over the samples since the last output, keyed by the 32-byte pool state
 * S. An output folds the running hash into S (S ← SHA-256(0x00 ‖ S ‖ ctr ‖ digest)) and is
 * SHA-256(0x01 ‖ S): a one-way function of a state that changes on every call, so outputs never
 * repeat, even without new samples, and one output reveals nothing of the next.
 *
 * Crediting, per source: rate = min(board claim, assessed ceiling, online estimate) bits per byte,
 * where the online estimate is SP 800-90B's Most Common Value estimate over the source's last block
 * of 1024 samples (health.ts), so the start-up samples are mixed in but never credited and a source
 * that turns out worse than its board claims is credited less. A source claimed at 0 bits/byte (a
 * fixed-seed PRNG, a serial, a saved seed) is mixed in, never credited, and has no health tests.
 * Samples are hashed in slices that exactly fill a 256-bit block, which is then output into
 * `blocks`: one SHA-256 output never carries more than 256 credited bits.
 */
import { fail } from "../errors";
import { wipe, view } from "../crypto/bytes";
import { Sha256 } from "../crypto/sha256";
import { HealthTests } from "./health";

/** Credited bits per pool output block (the SHA-256 output length). */
export var POOL_BLOCK_BITS = 256;

export interface PoolSource {
  name: string;
  /** The credit limit per byte: min(board claim, ceiling), 0 … 8. */
  bitsPerByte: number;
  /** Null for uncredited sources. */
  health: HealthTests | null;
  bytes: number;
}

var SEP0 = new Uint8Array([0]);
var SEP1 = new Uint8Array([1]);

export class EntropyPool {
  sources: PoolSource[] = [];
  /** Full blocks (32 bytes, 256 credited bits each), oldest first; taken with `takeBlock`. */
  blocks: Uint8Array[] = [];
  /** Blocks kept at most; credit beyond is still mixed into the state but not counted. */
  maxBlocks: number;
  /** Credited bits in the running hash, towards the next block (< 256). */
  fresh = 0;
  /** Credited bits mixed in since boot (statistics; may exceed what the blocks hold). */
  total = 0;
  /** The source and test that failed, sticky: "SOURCE: TEST". */
  failure: string | null = null;
  private state: Uint8Array = new Uint8Array(32);
  private ctr = new Uint8Array(4);
  private running = new Sha256();

  constructor(maxBlocks?: number) {
    this.maxBlocks = maxBlocks === undefined ? 1 : maxBlocks;
  }

  /**
   * Registers a source. `bitsPerByte` is the board's claim; `ceiling` the source's assessed
   * min-entropy (default 8, a byte's maximum): the smaller wins, so a board can only be more
   * conservative than the assessment.
   */
  addSource(name: string, bitsPerByte: number, ceiling?: number): number {
    var cap = ceiling === undefined ? 8 : ceiling;
    if (typeof bitsPerByte !== "number" || !(bitsPerByte >= 0 && bitsPerByte <= 8) || !(cap >= 0 && cap <= 8))
      fail("ENTROPY_BAD_CONFIG", "bits per byte of " + name + " must be in [0, 8], got " + bitsPerByte);
    var h = bitsPerByte < cap ? bitsPerByte : cap;
    this.sources.push({ name: name, bitsPerByte: h, health: h > 0 ? new HealthTests(h) : null, bytes: 0 });
    return this.sources.length - 1;
  }

  /** The rate at which source `id` is credited now (bits per byte). */
  rate(id: number): number {
    var src = this.sources[id], ht = src.health;
    if (ht === null) return 0;
    return ht.assessed < src.bitsPerByte ? ht.assessed : src.bitsPerByte;
  }

  /**
   * Health-tests, then mixes and credits, the raw samples of source `id`. Returns the failure
   * ("SOURCE: TEST") once a credited source has failed a health test; a failing chunk is not mixed.
   */
  mix(id: number, samples: Uint8Array): string | null {
    if (this.failure !== null) return this.failure;
    var src = this.sources[id], ht = src.health, n = samples.length;
    // The rate is fixed before this chunk updates the estimate: start-up samples earn nothing.
    var r = this.rate(id);
    if (ht !== null && ht.check(samples, n) !== null) {
      this.failure = src.name + ": " + ht.failure;
      return this.failure;
    }
    src.bytes += n;
    if (r === 0) {
      this.running.update(samples);
      return null;
    }
    var B = POOL_BLOCK_BITS, o = 0, k, full;
    // Credit held back while the blocks were full becomes a block as soon as there is room.
    if (this.fresh >= B && this.blocks.length < this.maxBlocks) this.blocks.push(this.output());
    while (o < n) {
      full = this.blocks.length >= this.maxBlocks;
      // The slice that completes the current block (or, when full, the rest of the chunk).
      k = full ? n - o : Math.ceil((B - this.fresh) / r);
      if (k > n - o) k = n - o;
      this.running.update(o === 0 && k === n ? samples : view(samples, o, o + k));
      o += k;
      this.fresh += k * r;
      this.total += k * r;
      if (this.fresh >= B) {
        if (full) this.fresh = B;
        else this.blocks.push(this.output());
      }
    }
    return null;
  }

  /** Credited bits held: full blocks plus the running part. */
  credited(): number {
    return this.blocks.length * POOL_BLOCK_BITS + this.fresh;
  }

  /** The oldest full block (256 credited bits), or null. The caller wipes it after use. */
  takeBlock(): Uint8Array | null {
    if (this.failure !== null) fail("ENTROPY_SOURCE_FAILED", "health test failed: " + this.failure);
    var b = this.blocks.shift();
    return b === undefined ? null : b;
  }

  /** 32 bytes of conditioned output whatever the credit (a DRBG nonce); the running credit is consumed. */
  extract(): Uint8Array {
    if (this.failure !== null) fail("ENTROPY_SOURCE_FAILED", "health test failed: " + this.failure);
    return this.output();
  }

  private output(): Uint8Array {
    var ctr = this.ctr, i;
    for (i = 3; i >= 0 && ++ctr[i] === 0; i--);
    var d = this.running.digest();
    var s = new Sha256().update(SEP0).update(this.state).update(ctr).update(d).digest();
    wipe(d);
    wipe(this.state);
    this.state = s;
    // The next running hash starts keyed by the new state, so its digest depends on all history.
    this.running = new Sha256().update(s);
    this.fresh = 0;
    return new Sha256().update(SEP1).update(s).digest();
  }

  /** Wipes the state and every held block (shutdown, or a failure that ends key generation). */
  destroy(): void {
    wipe(this.state);
    wipe(this.running.digest());
    this.running = new Sha256();
    for (var i = 0; i < this.blocks.length; i++) wipe(this.blocks[i]);
    this.blocks = [];
    this.fresh = 0;
  }
}
