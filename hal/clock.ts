/** Monotonic time and one-shot timers. */
export interface Clock {
  /** Milliseconds since boot, monotonic (never goes backwards; may have sub-ms fractions). */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds; returns a handle for `cancel`. */
  after(ms: number, fn: () => void): number;
  /** Cancels a pending `after`; cancelling a fired or unknown handle does nothing. */
  cancel(handle: number): void;
}
