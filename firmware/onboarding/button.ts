/**
 * The commissioning button: debouncing and press classification over the HAL's raw edges.
 *
 *  - Debounce: the level is believed only once it has been stable for DEBOUNCE_MS; chatter shorter
 *    than that never reaches the classifier. A transition is timed from the first edge of its burst
 *    (the moment the contact really moved), not from when the bounce settled.
 *  - A press held LONG_PRESS_MS (10 s) is a long press, reported while the button is still held
 *    (the owner sees the reset start without guessing when to let go); its release is ignored.
 *  - A press released earlier, held at least DEBOUNCE_MS, is a short press, reported at release.
 */
import type { Button } from "../../hal/button";
import type { Clock } from "../../hal/clock";

export var DEBOUNCE_MS = 30;
export var LONG_PRESS_MS = 10000;

export interface PressHandlers {
  /** A short press, with how long it was held. */
  short(heldMs: number): void;
  /** A long press (factory reset), reported at LONG_PRESS_MS while still held. */
  long(): void;
}

export interface PressDetector {
  stop(): void;
  /** The debounced level. */
  pressed(): boolean;
}

export function watchPresses(button: Button, clock: Clock, handlers: PressHandlers): PressDetector {
  var raw = false, stable = false;
  /** Time of the first raw edge since the level was last stable (-1: none pending). */
  var burstStart = -1;
  var settleTimer = -1, longTimer = -1;
  var pressStart = 0, longFired = false, stopped = false;

  function settle(): void {
    settleTimer = -1;
    if (stopped) return;
    var at = burstStart;
    burstStart = -1;
    if (raw === stable) return; // the chatter ended where it began
    stable = raw;
    if (stable) {
      pressStart = at;
      longFired = false;
      var wait = pressStart + LONG_PRESS_MS - clock.now();
      longTimer = clock.after(wait > 0 ? wait : 0, function () {
        longTimer = -1;
        if (stopped || !stable) return;
        longFired = true;
        handlers.long();
      });
    } else {
      if (longTimer >= 0) clock.cancel(longTimer);
      longTimer = -1;
      var held = at - pressStart;
      if (!longFired && held >= DEBOUNCE_MS) handlers.short(held);
    }
  }

  button.watch(function (pressed: boolean, timeMs: number): void {
    if (stopped) return;
    raw = !!pressed;
    if (burstStart < 0) burstStart = typeof timeMs === "number" ? timeMs : clock.now();
    if (settleTimer >= 0) clock.cancel(settleTimer);
    settleTimer = clock.after(DEBOUNCE_MS, settle);
  });

  return {
    stop: function (): void {
      stopped = true;
      button.unwatch();
      if (settleTimer >= 0) clock.cancel(settleTimer);
      if (longTimer >= 0) clock.cancel(longTimer);
      settleTimer = longTimer = -1;
    },
    pressed: function (): boolean {
      return stable;
    },
  };
}
