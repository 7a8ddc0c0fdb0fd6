/** Button over pinWatch: raw level → pressed by the board's polarity, µs edge time → the Clock's ms. ES5. */
import type { Button } from "../button";
import type { FirstlightNative } from "./native";

export function jerryButton(nat: FirstlightNative, pin: string, activeLow: boolean): Button {
  var id = 0;
  function stop(): void {
    if (id) nat.pinUnwatch(id);
    id = 0;
  }
  return {
    watch: function (onEdge: (pressed: boolean, timeMs: number) => void): void {
      stop();
      id = nat.pinWatch(pin, function (level: number, timeUs: number) {
        onEdge((level === 0) === activeLow, timeUs / 1000);
      });
    },
    unwatch: stop,
  };
}
