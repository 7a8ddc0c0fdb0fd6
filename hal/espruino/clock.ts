/**
 * Clock over getTime() and setTimeout. getTime() jumps when the application calls setTime();
 * a backward jump is absorbed (now() never decreases), a forward one cannot be told from real
 * time, so firmware must not call setTime() during a session. Handles are our own counters,
 * never Espruino timer ids: Espruino reuses ids and clearTimeout throws on a fired one. ES5.
 */
import type { Clock } from "../clock";
import type { EspruinoEnv } from "./espruino-globals";

export interface EspruinoClock extends Clock {
  /** Converts a getTime()-scale time in seconds (e.g. setWatch's e.time) to this clock's ms. */
  fromTime(seconds: number): number;
}

export function espruinoClock(env: EspruinoEnv): EspruinoClock {
  var offset = 0, last = -Infinity, next = 1;
  var live: { [h: number]: number } = {};
  return {
    now: function (): number {
      var t = env.getTime() * 1000 + offset;
      if (t < last) {
        offset += last - t;
        t = last;
      }
      return (last = t);
    },
    after: function (ms: number, fn: () => void): number {
      var h = next++;
      live[h] = env.setTimeout(function () {
        delete live[h];
        fn();
      }, ms > 0 ? ms : 0);
      return h;
    },
    cancel: function (h: number): void {
      var id = live[h];
      if (id === undefined) return;
      delete live[h];
      env.clearTimeout(id);
    },
    fromTime: function (seconds: number): number {
      return seconds * 1000 + offset;
    },
  };
}
