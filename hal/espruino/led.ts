/** The status LED over digitalWrite; polarity from the board file. ES5. */
import type { Led } from "../led";
import type { EspruinoEnv } from "./espruino-globals";

export function espruinoLed(env: EspruinoEnv, pin: string, activeLow: boolean): Led {
  return {
    set: function (on: boolean): void {
      env.digitalWrite(pin, !on === activeLow ? 1 : 0);
    },
  };
}
