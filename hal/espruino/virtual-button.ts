/**
 * A button and an LED for a board without GPIO (the Linux build): the button is pressed from the
 * console (`firstlight.board.press(250)` in the REPL, or a test typing it over telnet) and the LED
 * is read back (`firstlight.board.led()`). Edges carry the Clock's time, as setWatch's would. ES5.
 */
import type { Button } from "../button";
import type { Clock } from "../clock";
import type { Led } from "../led";

export interface VirtualButton extends Button {
  /** Holds the button down for `ms` (1 … 60000) and releases it; false if it is already down or the time is bad. */
  press(ms: number): boolean;
}

export function virtualButton(clock: Clock): VirtualButton {
  var onEdge: ((pressed: boolean, timeMs: number) => void) | null = null, down = false;
  return {
    watch: function (fn: (pressed: boolean, timeMs: number) => void): void {
      onEdge = fn;
    },
    unwatch: function (): void {
      onEdge = null;
    },
    press: function (ms: number): boolean {
      if (down || typeof ms !== "number" || !(ms >= 1 && ms <= 60000)) return false;
      down = true;
      if (onEdge) onEdge(true, clock.now());
      clock.after(ms, function () {
        down = false;
        if (onEdge) onEdge(false, clock.now());
      });
      return true;
    },
  };
}

export interface VirtualLed extends Led {
  isOn(): boolean;
}

export function virtualLed(): VirtualLed {
  var lit = false;
  return {
    set: function (on: boolean): void {
      lit = !!on;
    },
    isOn: function (): boolean {
      return lit;
    },
  };
}
