/**
 * Raw bytes from E.hwRand() (int32 → 4 bytes per call). Long reads run in phases of PHASE
 * bytes separated by setTimeout(…, 0), so a 256-byte read never holds the event loop (STM32
 * hwRand does 32 ADC conversions per call). Completion is always asynchronous. Whether these
 * bytes are worth anything is the board file's `trng.bitsPerByte`, never this driver's call. ES5.
 */
import type { Done } from "../errors";
import type { Trng } from "../trng";
import type { EspruinoEnv } from "./espruino-globals";

var PHASE = 64;

export function espruinoTrng(env: EspruinoEnv): Trng {
  return {
    read: function (n: number, done: Done<Uint8Array>): void {
      if (!(n >= 1 && n <= 256) || n % 1) {
        env.setTimeout(function () {
          done("SIZE");
        }, 0);
        return;
      }
      var out = new Uint8Array(n), i = 0;
      function phase(): void {
        var stop = i + PHASE < n ? i + PHASE : n, r: number;
        while (i < stop) {
          r = env.E.hwRand();
          if (typeof r !== "number" || r !== r) {
            for (i = 0; i < n; i++) out[i] = 0;
            done("FAIL");
            return;
          }
          out[i++] = r & 255;
          if (i < stop) out[i++] = (r >> 8) & 255;
          if (i < stop) out[i++] = (r >> 16) & 255;
          if (i < stop) out[i++] = (r >> 24) & 255;
        }
        if (i < n) env.setTimeout(phase, 0);
        else done(null, out);
      }
      env.setTimeout(phase, 0);
    },
  };
}
