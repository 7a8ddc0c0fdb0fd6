/**
 * Trng over trngRead. The native call is synchronous (≤ 256 bytes takes a few ms on nRF52840's
 * RNG with bias correction); the driver completes on the next timer tick so callers see the
 * same split-phase behaviour on every board. ES5.
 */
import type { Done } from "../errors";
import type { Trng } from "../trng";
import type { FirstlightNative } from "./native";

export function jerryTrng(nat: FirstlightNative): Trng {
  return {
    read: function (n: number, done: Done<Uint8Array>): void {
      if (!(n >= 1 && n <= 256) || n % 1) {
        nat.setTimer(0, function () {
          done("SIZE");
        });
        return;
      }
      nat.setTimer(0, function () {
        var b = nat.trngRead(n);
        if (!b || b.length !== n) done("FAIL");
        else done(null, b);
      });
    },
  };
}
