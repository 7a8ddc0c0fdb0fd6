/**
 * The simulator's raw source for a board: boards whose TRNG is the ESP32/ESP8266 RNG register
 * (`trng.source` "esp32-rng", "esp8266-rng") get the real register driver (hal/espruino/esp-rng.ts)
 * over a simulated register (hal/sim/esp-rng-register.ts), so the simulator runs the code a board
 * runs; every other board gets the scripted SimTrng. The scenario's `kind` and `seed` drive both;
 * `radio: false` starts the ESP radio off. Reads complete after n / bytesPerSecond on the clock. ES5.
 */
import type { BoardConfig } from "../board-config";
import type { Clock } from "../clock";
import type { Done } from "../errors";
import type { Trng } from "../trng";
import { SimTrng, type SimTrngScenario } from "./trng";
import { SimRngRegister } from "./esp-rng-register";
import { espRngTrng, ESP32_RNG_DATA_REG, ESP8266_RNG_REG } from "../espruino/esp-rng";
import { jitterTrng } from "../espruino/jitter";
import { SimJitterClock } from "./jitter";

export interface SimBoardTrng {
  trng: Trng;
  /** Raw bytes delivered so far. */
  delivered(): number;
  /** The simulated ESP register, when the board has one (tests switch its radio). */
  register: SimRngRegister | null;
}

/**
 * The board's second source in the simulator: the real jitter driver over a modelled clock
 * (hal/sim/jitter.ts), at the board's `jitter.bytesPerSecond`; null when the board has none.
 * `stuck` models a clock that does not tick.
 */
export function simBoardJitter(board: BoardConfig, seed: string, clock: Clock, stuck?: boolean): Trng | null {
  if (!board.jitter) return null;
  var driver = jitterTrng(new SimJitterClock(clock, seed, stuck)), rate = board.jitter.bytesPerSecond;
  return {
    read: function (n: number, done: Done<Uint8Array>): void {
      driver.read(n, function (err, bytes) {
        clock.after(bytes ? (bytes.length * 1000) / rate : 0, function () { done(err, bytes); });
      });
    },
  };
}

export function simBoardTrng(board: BoardConfig, scenario: SimTrngScenario, clock: Clock): SimBoardTrng {
  var src = board.trng.source;
  if (src !== "esp32-rng" && src !== "esp8266-rng") {
    var t = new SimTrng(scenario, clock);
    return { trng: t, delivered: function () { return t.delivered; }, register: null };
  }
  if (scenario.kind === "pattern") throw new Error("sim: a " + src + " register has no 'pattern' scenario (healthy, stuck, biased)");
  var address = src === "esp32-rng" ? ESP32_RNG_DATA_REG : ESP8266_RNG_REG;
  var reg = new SimRngRegister({ address: address, kind: scenario.kind, seed: scenario.seed, value: scenario.value, p: scenario.p, radio: scenario.radio !== false });
  var driver = espRngTrng({
    peek32: function (a: number) { return reg.peek32(a); },
    getTime: function () { return clock.now() / 1000; },
    setTimeout: function (fn: () => void, ms: number) { return clock.after(ms, fn); },
    // Virtual time stands still inside a read, so no pacing wait here (the pacing has its own test).
  }, { address: address, minIntervalS: 0, radioOn: function () { return reg.radio; } });
  var rate = scenario.bytesPerSecond, delivered = 0;
  return {
    trng: {
      read: function (n: number, done: Done<Uint8Array>): void {
        driver.read(n, function (err, bytes) {
          if (err === null && bytes) delivered += bytes.length;
          var ms = rate && bytes ? (bytes.length * 1000) / rate : 0;
          if (ms > 0) clock.after(ms, function () { done(err, bytes); });
          else done(err, bytes);
        });
      },
    },
    delivered: function () { return delivered; },
    register: reg,
  };
}
