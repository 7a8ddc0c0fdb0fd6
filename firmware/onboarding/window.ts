/**
 * The commissioning window: opened by a short press, closed on success, on timeout, or when the
 * failed-attempt limit is reached. Default 3 min, configurable 3 … 15 min (docs/protocol.md §6).
 * The window lives in RAM only: a reboot closes it, so a power cycle never opens setup by itself.
 */
import type { Clock } from "../../hal/clock";
import { fail } from "../errors";

export var DEFAULT_WINDOW_MS = 180000;
export var MIN_WINDOW_MS = 180000;
export var MAX_WINDOW_MS = 900000;

export function checkWindowMs(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_WINDOW_MS;
  if (typeof ms !== "number" || ms !== Math.floor(ms) || ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS)
    fail("DEVICE_BAD_OPTION", "windowMs must be a whole number of ms from 180000 (3 min) to 900000 (15 min), got " + ms);
  return ms;
}

export interface CommissioningWindow {
  /** Opens (or re-opens for the full duration) the window. */
  open(): void;
  /** Closes it; `why` goes to the listener ("success", "timeout", "locked", "reset", …). */
  close(why: string): void;
  isOpen(): boolean;
  /** Milliseconds until it closes by itself (0 when closed). */
  remainingMs(): number;
}

export function createWindow(clock: Clock, durationMs: number, onChange: (open: boolean, why: string) => void): CommissioningWindow {
  var timer = -1, closesAt = 0, isOpen = false;

  function close(why: string): void {
    if (timer >= 0) clock.cancel(timer);
    timer = -1;
    if (!isOpen) return;
    isOpen = false;
    onChange(false, why);
  }

  return {
    open: function (): void {
      if (timer >= 0) clock.cancel(timer);
      closesAt = clock.now() + durationMs;
      timer = clock.after(durationMs, function () {
        timer = -1;
        close("timeout");
      });
      var was = isOpen;
      isOpen = true;
      onChange(true, was ? "extended" : "opened");
    },
    close: close,
    isOpen: function (): boolean {
      return isOpen;
    },
    remainingMs: function (): number {
      if (!isOpen) return 0;
      var r = closesAt - clock.now();
      return r > 0 ? r : 0;
    },
  };
}
