/**
 * The ESP32 / ESP8266 hardware RNG read with Espruino's `peek32(address)`, instead of `E.hwRand()`,
 * which on both ports is C rand() (a fixed-seed PRNG: boards/esp32.json).
 *
 * The register is only a true random source while the radio's noise feeds it (ESP32 Technical
 * Reference Manual v5.2, §25 "Random Number Generator": "make sure at least either the SAR ADC or
 * high-speed ADC is enabled. Otherwise, pseudo-random numbers will be returned"; the high-speed ADC
 * is on while Wi-Fi or Bluetooth is). So every read first asks `radioOn()`, and while the radio is
 * off the driver answers OFF and reads nothing: the gate then credits nothing and tries again later.
 *
 * Pacing: the TRM asks that the register not be read faster than its entropy arrives (§25.3); ESP-IDF's
 * esp_random() waits 16 APB cycles (0.2 µs at 80 MHz) between reads. An interpreted peek32 takes
 * microseconds, far longer, but the driver does not rely on it: before each read it waits until
 * `minIntervalS` has passed since the previous one (getTime()); phases of PHASE_WORDS reads are separated by
 * setTimeout(…, 0) so a 256-byte read never holds the event loop. Completion is always asynchronous.
 * The driver says nothing about credit: that is the board file's `trng.bitsPerByte`. ES5.
 */
import type { Done } from "../errors";
import type { Trng } from "../trng";

/** What the driver needs from Espruino: `peek32`, `getTime`, `setTimeout`. */
export interface EspRngEnv {
  peek32(address: number): number;
  getTime(): number;
  setTimeout(fn: () => void, ms: number): number;
}

export interface EspRngOptions {
  /** The RNG data register: ESP32_RNG_DATA_REG or ESP8266_RNG_REG. */
  address: number;
  /** Least seconds between two reads of the register. */
  minIntervalS: number;
  /** True while the hardware's condition for true randomness holds (the radio is on). */
  radioOn: () => boolean;
}

/** ESP32 TRM v5.2 §25.5 Register Summary: RNG_DATA_REG, RO, 0x3FF75144. */
export var ESP32_RNG_DATA_REG = 0x3ff75144;
/** ESP8266: 0x3FF20E44 (esp8266-re wiki "Random Number Generator"; esp-open-rtos WDEV.HWRNG). */
export var ESP8266_RNG_REG = 0x3ff20e44;
/** 16 APB cycles at 80 MHz (ESP-IDF esp_random, APB_CYCLE_WAIT_NUM = 16 on the ESP32). */
export var ESP32_MIN_INTERVAL_S = 16 / 80e6;

var PHASE_WORDS = 16;
/**
 * The register's own sample is a 32-bit word. A word stuck at a value whose four bytes differ
 * (0xDEADBEEF) is a period-4 byte pattern that the byte-wise health tests at H = 2 never see, so
 * the driver runs the SP 800-90B §4.4.1 repetition count test on whole words: at the board's credit
 * (2 bits/byte = 8 bits/word) and α = 2^-40, C = 1 + 40/8 = 6 identical words in a row is FAIL.
 */
export var STUCK_WORDS = 6;
var SPIN_LIMIT = 1000;

export function espRngTrng(env: EspRngEnv, o: EspRngOptions): Trng {
  var prev = -1, repeats = 0;
  return {
    read: function (n: number, done: Done<Uint8Array>): void {
      if (!(n >= 1 && n <= 256) || n % 1) {
        env.setTimeout(function () { done("SIZE"); }, 0);
        return;
      }
      var out = new Uint8Array(n), i = 0, last = -1;
      function phase(): void {
        var radio = false;
        try {
          radio = o.radioOn() === true;
        } catch (e) {
          radio = false;
        }
        if (!radio) {
          for (var z = 0; z < i; z++) out[z] = 0;
          done("OFF");
          return;
        }
        var words = 0, w: number, spins: number;
        while (i < n && words < PHASE_WORDS) {
          // Never faster than the register's entropy rate (a no-op under the interpreter).
          // A clock coarser than the interval (or frozen, as virtual time is) ends the wait after
          // SPIN_LIMIT polls: each poll is itself far longer than 16 APB cycles.
          spins = 0;
          if (last >= 0) while (env.getTime() - last < o.minIntervalS && ++spins < SPIN_LIMIT);
          last = env.getTime();
          w = env.peek32(o.address);
          if (w === prev) repeats++;
          else { prev = w; repeats = 1; }
          if (typeof w !== "number" || w !== w || repeats >= STUCK_WORDS) {
            for (var j = 0; j < n; j++) out[j] = 0;
            done("FAIL");
            return;
          }
          words++;
          out[i++] = w & 255;
          if (i < n) out[i++] = (w >>> 8) & 255;
          if (i < n) out[i++] = (w >>> 16) & 255;
          if (i < n) out[i++] = (w >>> 24) & 255;
        }
        if (i < n) env.setTimeout(phase, 0);
        else done(null, out);
      }
      env.setTimeout(phase, 0);
    },
  };
}

/**
 * Espruino's answer to "is the radio on": `require("Wifi").getStatus().mode` is "off" until Wi-Fi
 * is started (Espruino's ESP32 and ESP8266 network wrappers, jswrap_wifi_getStatus), else "sta",
 * "ap" or "sta+ap". Bluetooth alone is not detected: a BLE-only ESP32 is treated as radio off
 * (credit refused, never wrongly granted).
 */
export function espruinoWifiOn(requireFn: (name: string) => any): () => boolean {
  return function (): boolean {
    var s = requireFn("Wifi").getStatus();
    return !!s && typeof s.mode === "string" && s.mode !== "off";
  };
}
