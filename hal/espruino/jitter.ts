/**
 * A second, independent raw source for boards whose TRNG is weak, absent or off: timing jitter.
 * Each sample is the low byte of the time, in microseconds from getTime(), that a short fixed busy
 * loop takes. Interrupts (timers, the radio, the UART), flash cache misses and the interpreter's
 * garbage collector make that time vary; how much is unknown until measured, so the board file
 * credits it only from the SP 800-90B estimate on samples from the board (`jitter.bitsPerByte`,
 * docs/entropy.md "A second source"). A clock that does not tick gives constant samples, which the
 * gate's health tests fail at once. Phases of PHASE samples are separated by setTimeout(…, 0), so
 * events run between them (and add to the jitter). Completion is always asynchronous. ES5.
 */
import type { Done } from "../errors";
import type { Trng } from "../trng";

export interface JitterEnv {
  getTime(): number;
  setTimeout(fn: () => void, ms: number): number;
}

/** Iterations of the timed loop: short enough that an interrupt often lands inside, long enough to span clock ticks. */
export var JITTER_LOOP = 8;
var PHASE = 16;
/** The loop's last result, kept so no engine can drop the loop as dead code. */
export var jitterSink = { value: 0 };

/** One sample: the low byte of the loop's duration in µs. */
export function jitterSample(env: JitterEnv): number {
  var t0 = env.getTime(), acc = 0;
  for (var k = 0; k < JITTER_LOOP; k++) acc = (acc * 31 + k) | 0;
  var dt = env.getTime() - t0;
  jitterSink.value = acc;
  return Math.round(dt * 1e6) & 255;
}

export function jitterTrng(env: JitterEnv): Trng {
  return {
    read: function (n: number, done: Done<Uint8Array>): void {
      if (!(n >= 1 && n <= 256) || n % 1) {
        env.setTimeout(function () { done("SIZE"); }, 0);
        return;
      }
      var out = new Uint8Array(n), i = 0;
      function phase(): void {
        var stop = i + PHASE < n ? i + PHASE : n;
        while (i < stop) out[i++] = jitterSample(env);
        if (i < n) env.setTimeout(phase, 0);
        else done(null, out);
      }
      env.setTimeout(phase, 0);
    },
  };
}
