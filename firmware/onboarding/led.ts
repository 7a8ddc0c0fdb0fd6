/**
 * What the status LED shows (one pattern at a time, on the HAL clock):
 *
 *   off          not in the commissioning window (unpaired and closed, paired, locked)
 *   window       slow blink, 500 ms on / 500 ms off: the commissioning window is open
 *   attempt      fast blink, 100 ms on / 100 ms off: a pairing attempt is in progress
 *   success      on for 2 s, then off: pairing succeeded
 *   reset        on while the factory reset runs (the long press was recognised)
 */
import type { Clock } from "../../hal/clock";
import type { Led } from "../../hal/led";

export var PATTERNS: { [name: string]: number[] } = {
  off: [0, 1],
  window: [500, 500],
  attempt: [100, 100],
  success: [2000, 0],
  reset: [1, 0],
};

export interface LedPattern {
  show(name: string): void;
  current(): string;
  stop(): void;
}

export function createLedPattern(led: Led | null, clock: Clock): LedPattern {
  var name = "off", timer = -1, on = false;

  function set(v: boolean): void {
    on = v;
    if (led) led.set(v);
  }

  function cancel(): void {
    if (timer >= 0) clock.cancel(timer);
    timer = -1;
  }

  function step(): void {
    timer = -1;
    var p = PATTERNS[name];
    if (name === "success") {
      // One shot: lit for p[0] ms, then off for good.
      if (on) {
        set(false);
        name = "off";
      }
      return;
    }
    set(!on);
    timer = clock.after(on ? p[0] : p[1], step);
  }

  return {
    show: function (n: string): void {
      var p = PATTERNS[n];
      if (!p) return;
      cancel();
      name = n;
      if (p[0] === 0) {
        set(false);
        return;
      }
      set(true);
      if (p[1] > 0 || n === "success") timer = clock.after(p[0], step);
    },
    current: function (): string {
      return name;
    },
    stop: function (): void {
      cancel();
      set(false);
    },
  };
}
