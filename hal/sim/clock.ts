/**
 * Virtual time for the simulator and the tests: nothing happens until the test advances the
 * clock, so every run is deterministic. Timers fire in due order; timers due at the same
 * instant fire in the order they were set (as on every real event loop we target). ES5.
 */
import type { Clock } from "../clock";

interface Timer {
  handle: number;
  due: number;
  seq: number;
  fn: () => void;
}

export class SimClock implements Clock {
  private t: number;
  private timers: Timer[] = [];
  private nextHandle = 1;
  private seq = 0;

  constructor(startMs?: number) {
    this.t = startMs || 0;
  }

  now(): number {
    return this.t;
  }

  /** Negative, NaN or missing delays count as 0 (the timer still waits for the next advance). */
  after(ms: number, fn: () => void): number {
    var h = this.nextHandle++;
    var d = ms > 0 ? ms : 0;
    var timer: Timer = { handle: h, due: this.t + d, seq: this.seq++, fn: fn };
    // Keep `timers` sorted by (due, seq): insertion from the end is O(1) for the usual case.
    var list = this.timers, i = list.length;
    while (i > 0 && list[i - 1].due > timer.due) i--;
    list.splice(i, 0, timer);
    return h;
  }

  cancel(handle: number): void {
    var list = this.timers;
    for (var i = 0; i < list.length; i++) {
      if (list[i].handle === handle) {
        list.splice(i, 1);
        return;
      }
    }
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way at its due time (including
   * timers those callbacks set, if they fall inside the window). Returns the number fired.
   */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new Error("SimClock.advance: ms must be ≥ 0, got " + ms);
    var end = this.t + ms, fired = 0;
    while (this.timers.length && this.timers[0].due <= end) {
      var timer = this.timers.shift() as Timer;
      if (timer.due > this.t) this.t = timer.due;
      fired++;
      timer.fn();
    }
    this.t = end;
    return fired;
  }

  /**
   * Fires timers in order until none is pending or the next one is more than `limitMs` from
   * the start. Time stops at the last timer fired (it does not jump to the limit).
   * Returns true when no timer is left pending.
   */
  runUntilIdle(limitMs: number): boolean {
    var end = this.t + (limitMs >= 0 ? limitMs : 0);
    while (this.timers.length && this.timers[0].due <= end) this.advance(this.timers[0].due - this.t);
    return this.timers.length === 0;
  }

  /** Number of timers waiting. */
  pending(): number {
    return this.timers.length;
  }

  /** Due time of the next timer, or -1 when none is pending. */
  nextDue(): number {
    return this.timers.length ? this.timers[0].due : -1;
  }
}
