/**
 * The simulator's model of a timing-jitter source (hal/espruino/jitter.ts): a getTime() whose loop
 * durations are a base of BASE_US µs plus two independent uniform 0 … 7 µs delays (an interrupt
 * and a cache effect, say), so a sample's min-entropy is exactly −log2(8/64) = 3 bits. `stuck`
 * models a clock that does not tick (every duration 0). A model, not a measurement: real boards
 * are captured with `npm run entropy -- --capture --source jitter`. ES5.
 */
import type { Clock } from "../clock";
import type { JitterEnv } from "../espruino/jitter";
import { Sha256 } from "../../firmware/crypto/sha256";
import { chacha20BlockInto } from "../../firmware/crypto/chacha20";
import { utf8Encode } from "../../firmware/crypto/bytes";

export var BASE_US = 100;
var NONCE = new Uint8Array(12);

export class SimJitterClock implements JitterEnv {
  /** Loop timings taken so far. */
  samples = 0;
  private t = 0;
  private odd = false;
  private key: Uint8Array;
  private block = new Uint8Array(64);
  private pos = 64;
  private ctr = 0;

  constructor(private clock: Clock, seed: string | number, private stuck?: boolean) {
    this.key = new Sha256().update(utf8Encode("firstlight sim jitter " + String(seed))).digest();
  }

  private byte(): number {
    if (this.pos === 64) {
      chacha20BlockInto(this.key, NONCE, this.ctr++, this.block);
      this.pos = 0;
    }
    return this.block[this.pos++];
  }

  /** Called twice per sample: the second call of a pair returns the start plus the modelled duration. */
  getTime(): number {
    this.odd = !this.odd;
    if (this.odd) {
      this.t = this.clock.now() / 1000;
      return this.t;
    }
    this.samples++;
    if (this.stuck) return this.t;
    return this.t + (BASE_US + (this.byte() & 7) + (this.byte() & 7)) * 1e-6;
  }

  setTimeout(fn: () => void, ms: number): number {
    return this.clock.after(ms, fn);
  }
}
