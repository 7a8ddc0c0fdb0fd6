/**
 * Clock over `tmr.now()` and `tmr.create()` alarms. `tmr.now()` is the system counter in µs,
 * 31 bits wide: it wraps after 2^31 µs (35.8 min). now() adds 2^31 µs each time the counter comes
 * back below its last value, and a keep-alive alarm reads it every KEEPALIVE_MS so no wrap goes
 * unseen while nothing else asks the time. Alarms take 1 … MAX_ALARM_MS; a longer wait is chained.
 * Handles are our own counters. ES5 / Lua.
 */
import type { Clock } from "../clock";
import type { NodeMcuTimer, NodeMcuTmr } from "./nodemcu-modules";

export var WRAP_US = 2147483648;
export var MAX_ALARM_MS = 6870947;
export var KEEPALIVE_MS = 600000;

export interface NodeMcuClock extends Clock {
  /** Converts a `tmr.now()`-scale stamp taken a moment ago (a gpio.trig `when`) to this clock's ms. */
  fromMicros(stamp: number): number;
}

export function nodemcuClock(tmr: NodeMcuTmr): NodeMcuClock {
  var lastRaw = -1, wraps = 0, next = 1;
  var live: { [h: number]: NodeMcuTimer } = {};
  function raw(): number {
    var r = tmr.now() % WRAP_US;
    if (lastRaw >= 0 && r < lastRaw) wraps += WRAP_US;
    lastRaw = r;
    return r;
  }
  function now(): number {
    var r = raw();
    return (wraps + r) / 1000;
  }
  function arm(h: number, ms: number, fn: () => void): void {
    var t = tmr.create(), step = ms > MAX_ALARM_MS ? MAX_ALARM_MS : ms < 1 ? 1 : Math.ceil(ms);
    live[h] = t;
    t.alarm(step, tmr.ALARM_SINGLE, function () {
      if (live[h] !== t) return;
      if (ms > step) {
        arm(h, ms - step, fn);
        return;
      }
      delete live[h];
      fn();
    });
  }
  var keepalive = tmr.create();
  keepalive.alarm(KEEPALIVE_MS, tmr.ALARM_AUTO, function () {
    now();
  });
  now();
  return {
    now: now,
    after: function (ms: number, fn: () => void): number {
      var h = next++;
      arm(h, ms > 0 ? ms : 0, fn);
      return h;
    },
    cancel: function (h: number): void {
      var t = live[h];
      if (t === undefined) return;
      delete live[h];
      t.unregister();
    },
    fromMicros: function (stamp: number): number {
      var r = raw(), ago = (r - (stamp % WRAP_US) + WRAP_US) % WRAP_US;
      return (wraps + r - ago) / 1000;
    },
  };
}
