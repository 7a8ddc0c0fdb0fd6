/**
 * A simulated ESP32 / ESP8266 RNG data register behind `peek32`, for the ESP RNG driver
 * (hal/espruino/esp-rng.ts) in tests and in the simulator's `esp32` board:
 *   healthy  radio on: 32-bit words of a ChaCha20 keystream keyed by the seed (true randomness as far
 *            as any test can tell); radio off: a fixed-seed xorshift sequence, the same every boot
 *            (what the chip returns without its noise source)
 *   stuck    one constant word (an unclocked peripheral)
 *   biased   each bit 1 with probability p (a saturated ADC, TRM §25.4's warning)
 * Reads of any other address return 0, as reserved registers do. ES5.
 */
import { Sha256 } from "../../firmware/crypto/sha256";
import { chacha20BlockInto } from "../../firmware/crypto/chacha20";
import { utf8Encode } from "../../firmware/crypto/bytes";

export interface SimRngRegisterOptions {
  address: number;
  kind: "healthy" | "stuck" | "biased";
  seed?: number | string;
  /** stuck: the word (default 0). */
  value?: number;
  /** biased: P(bit = 1). */
  p?: number;
  /** The radio at start (default on). */
  radio?: boolean;
}

var NONCE = new Uint8Array(12);

export class SimRngRegister {
  radio: boolean;
  /** Reads of the register so far. */
  reads = 0;
  private o: SimRngRegisterOptions;
  private key: Uint8Array;
  private block = new Uint8Array(64);
  private pos = 64;
  private ctr = 0;
  private prng = 0x12345678;

  constructor(o: SimRngRegisterOptions) {
    this.o = o;
    this.radio = o.radio !== false;
    this.key = new Sha256().update(utf8Encode("firstlight sim esp rng " + String(o.seed === undefined ? 0 : o.seed))).digest();
  }

  private byte(): number {
    if (this.pos === 64) {
      chacha20BlockInto(this.key, NONCE, this.ctr++, this.block);
      this.pos = 0;
    }
    return this.block[this.pos++];
  }

  private noiseWord(): number {
    var o = this.o;
    if (o.kind === "stuck") return (o.value || 0) >>> 0;
    if (o.kind === "biased") {
      var t = (o.p === undefined ? 0.5 : o.p) * 65536, w = 0;
      for (var i = 0; i < 32; i++) if (((this.byte() << 8) | this.byte()) < t) w = (w | (1 << i)) >>> 0;
      return w;
    }
    return ((this.byte() | (this.byte() << 8) | (this.byte() << 16)) + this.byte() * 16777216) >>> 0;
  }

  peek32(address: number): number {
    if (address !== this.o.address) return 0;
    this.reads++;
    if (this.radio) return this.noiseWord();
    var x = this.prng;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.prng = x >>> 0;
    return this.prng;
  }
}
