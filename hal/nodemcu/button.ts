/**
 * The button over `gpio.trig(pin, "both", cb(level, when))`: every raw edge reaches the firmware's
 * debouncer with the µs stamp NodeMCU took in the interrupt, converted to the Clock's timeline.
 * The pin is an input with the pull-up on (the NodeMCU FLASH button, GPIO0, pulls to ground), and
 * polarity comes from the board file. ES5 / Lua.
 */
import type { Button } from "../button";
import type { NodeMcuGpio } from "./nodemcu-modules";
import type { NodeMcuClock } from "./clock";

export function nodemcuButton(gpio: NodeMcuGpio, clock: NodeMcuClock, pin: number, activeLow: boolean): Button {
  var watching = false;
  return {
    watch: function (onEdge: (pressed: boolean, timeMs: number) => void): void {
      gpio.mode(pin, gpio.INT, gpio.PULLUP);
      gpio.trig(pin, "both", function (level: number, when: number) {
        onEdge(activeLow ? level === gpio.LOW : level === gpio.HIGH, clock.fromMicros(when));
      });
      watching = true;
    },
    unwatch: function (): void {
      if (watching) gpio.trig(pin, "none");
      watching = false;
    },
  };
}
