import type { Done } from "./errors";

/**
 * A raw true-random source. Samples are raw bytes, not yet conditioned or health-tested: the
 * entropy pool (firmware/entropy) does both and decides how much each byte is credited, from the
 * board file, never from the driver. A driver whose source is not truly random (Espruino's
 * `E.hwRand()` on ESP32/ESP8266 is a fixed-seed PRNG) must say so in its board file (0 bits).
 */
export interface Trng {
  /** Reads `n` raw bytes (1 ≤ n ≤ 256). May complete later (slow sources); may fail with FAIL or BUSY. */
  read(n: number, done: Done<Uint8Array>): void;
}
