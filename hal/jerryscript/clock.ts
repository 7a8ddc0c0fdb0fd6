/** Clock over nowMs / setTimer / clearTimer. Handles are the binding's ids (never reused while pending). ES5. */
import type { Clock } from "../clock";
import type { FirstlightNative } from "./native";

export function jerryClock(nat: FirstlightNative): Clock {
  return {
    now: function (): number {
      return nat.nowMs();
    },
    after: function (ms: number, fn: () => void): number {
      return nat.setTimer(ms > 0 ? ms : 0, fn);
    },
    cancel: function (handle: number): void {
      nat.clearTimer(handle);
    },
  };
}
