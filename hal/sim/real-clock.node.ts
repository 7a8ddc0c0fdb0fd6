/**
 * Host-only: real time for the interactive simulator (the main job). Same contract as SimClock:
 * monotonic milliseconds since this clock was made, one-shot timers with numeric handles.
 */
import { performance } from "node:perf_hooks";
import type { Clock } from "../clock.ts";

export class RealClock implements Clock {
  private readonly t0 = performance.now();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextHandle = 1;

  now(): number {
    return performance.now() - this.t0;
  }

  after(ms: number, fn: () => void): number {
    const h = this.nextHandle++;
    const t = setTimeout(() => {
      this.timers.delete(h);
      fn();
    }, ms > 0 ? ms : 0);
    this.timers.set(h, t);
    return h;
  }

  cancel(handle: number): void {
    const t = this.timers.get(handle);
    if (t !== undefined) {
      clearTimeout(t);
      this.timers.delete(handle);
    }
  }

  /** Number of timers waiting. */
  pending(): number {
    return this.timers.size;
  }

  /** Cancels every timer (so the process can exit). */
  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
