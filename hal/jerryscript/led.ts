/** Led over pinWrite; polarity from the board file. ES5. */
import type { Led } from "../led";
import type { FirstlightNative } from "./native";

export function jerryLed(nat: FirstlightNative, pin: string, activeLow: boolean): Led {
  return {
    set: function (on: boolean): void {
      nat.pinWrite(pin, !on === activeLow ? 1 : 0);
    },
  };
}
