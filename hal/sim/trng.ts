/**
 * The simulator's TRNG: scriptable raw sources for testing the entropy gate. Each scenario models a
 * failure mode seen on real boards:
 *   healthy  ChaCha20 keystream keyed by SHA-256(seed): full entropy as far as the tests can tell
 *   stuck    one constant byte (a dead ring oscillator, an unclocked peripheral)
 *   biased   each bit is 1 with probability p (a drifting comparator)
 *   pattern  a repeating byte sequence (a PRNG with a short period, a shift register)
 * and modifiers: `zerosFirst` (zeros during early boot, then the source), `failAfter` (the
 * peripheral reports FAIL once that many bytes have been delivered), `bytesPerSecond` (a slow
 * source: each read completes on the clock after n / rate seconds).
 * ES5: it also runs inside the simulated device on the small engines.
 */
import type { Trng } from "../trng";
import type { Clock } from "../clock";
import type { Done } from "../errors";
import { Sha256 } from "../../firmware/crypto/sha256";
import { chacha20BlockInto } from "../../firmware/crypto/chacha20";
import { utf8Encode } from "../../firmware/crypto/bytes";

export interface SimTrngScenario {
  kind: "healthy" | "stuck" | "biased" | "pattern";
  /** healthy, biased: the generator's seed; two devices with different seeds differ. */
  seed?: number | string;
  /** stuck: the constant byte (default 0). */
  value?: number;
  /** biased: P(bit = 1), 0 … 1. */
  p?: number;
  /** pattern: the bytes repeated for ever. */
  pattern?: number[];
  /** Early-boot zeros delivered before the source starts. */
  zerosFirst?: number;
  /** Reads fail with "FAIL" once this many bytes have been delivered (a short read delivers the rest). */
  failAfter?: number;
  /** A slow source: bytes per second on the clock. */
  bytesPerSecond?: number;
  /** ESP RNG register boards (hal/sim/board-trng.ts): the radio at boot (default on). */
  radio?: boolean;
}

var NONCE = new Uint8Array(12);

export class SimTrng implements Trng {
  /** Raw bytes delivered so far. */
  delivered = 0;
  reads = 0;
  private sc: SimTrngScenario;
  private clock: Clock | null;
  private key: Uint8Array;
  private block = new Uint8Array(64);
  private blockPos = 64;
  private ctr = 0;
  private patPos = 0;

  /** Without a clock, reads complete synchronously (inside `read`); with one, on the clock. */
  constructor(scenario: SimTrngScenario, clock?: Clock | null) {
    this.sc = scenario;
    this.clock = clock || null;
    this.key = new Sha256().update(utf8Encode("firstlight sim trng " + String(scenario.seed === undefined ? 0 : scenario.seed))).digest();
  }

  /** One keystream byte of the healthy generator. */
  private next(): number {
    if (this.blockPos === 64) {
      chacha20BlockInto(this.key, NONCE, this.ctr++, this.block);
      this.blockPos = 0;
    }
    return this.block[this.blockPos++];
  }

  private sample(): number {
    var sc = this.sc;
    if (this.delivered < (sc.zerosFirst || 0)) return 0;
    switch (sc.kind) {
      case "stuck":
        return (sc.value || 0) & 255;
      case "pattern": {
        var pat = sc.pattern && sc.pattern.length ? sc.pattern : [0x55, 0xaa];
        var x = pat[this.patPos];
        this.patPos = (this.patPos + 1) % pat.length;
        return x & 255;
      }
      case "biased": {
        // Each bit compares a 16-bit uniform value with p.
        var p = sc.p === undefined ? 0.5 : sc.p, t = p * 65536, b = 0;
        for (var i = 0; i < 8; i++) if (((this.next() << 8) | this.next()) < t) b |= 1 << i;
        return b;
      }
      default:
        return this.next();
    }
  }

  read(n: number, done: Done<Uint8Array>): void {
    this.reads++;
    var err: "SIZE" | "FAIL" | null = null, out: Uint8Array | undefined;
    if (typeof n !== "number" || n < 1 || n > 256 || n !== Math.floor(n)) err = "SIZE";
    else {
      var limit = this.sc.failAfter;
      if (limit !== undefined && this.delivered + n > limit) n = limit - this.delivered;
      if (n <= 0) err = "FAIL";
      else {
        out = new Uint8Array(n);
        for (var i = 0; i < n; i++) {
          out[i] = this.sample();
          this.delivered++;
        }
      }
    }
    var clock = this.clock;
    if (clock === null) {
      done(err, out);
      return;
    }
    var rate = this.sc.bytesPerSecond;
    clock.after(rate && out ? (out.length * 1000) / rate : 0, function () { done(err, out); });
  }
}

/** Two devices cloned from one image: their TRNGs differ (each chip has its own noise). */
export function clonedTrngs(clock?: Clock | null): SimTrng[] {
  return [new SimTrng({ kind: "healthy", seed: "clone-a" }, clock), new SimTrng({ kind: "healthy", seed: "clone-b" }, clock)];
}
