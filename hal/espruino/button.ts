/**
 * The button over setWatch(edge "both", repeat, debounce 0): every raw edge reaches the
 * firmware's debouncer with the time Espruino stamped it with (in the interrupt), converted to
 * the Clock's timeline. Polarity comes from the board file. ES5.
 */
import type { Button } from "../button";
import type { EspruinoEnv, EspruinoWatchEvent } from "./espruino-globals";
import type { EspruinoClock } from "./clock";

export function espruinoButton(env: EspruinoEnv, clock: EspruinoClock, pin: string, activeLow: boolean): Button {
  // Never pass undefined to clearWatch: with no id it clears every watch on the device.
  var id = 0, watching = false;
  function stop(): void {
    if (watching) env.clearWatch(id);
    watching = false;
  }
  return {
    watch: function (onEdge: (pressed: boolean, timeMs: number) => void): void {
      stop();
      id = env.setWatch(
        function (e: EspruinoWatchEvent) {
          onEdge(e.state !== activeLow, clock.fromTime(e.time));
        },
        pin,
        { repeat: true, edge: "both", debounce: 0 },
      );
      watching = true;
    },
    unwatch: stop,
  };
}
