/**
 * A scripted commissioning button. Presses become edges on the Clock's timeline, optionally with
 * contact bounce (extra chatter edges right after each real transition) so the firmware's
 * debouncer is exercised exactly as a real switch would exercise it. ES5.
 */
import type { Button } from "../button";
import type { Clock } from "../clock";

export interface PressOptions {
  /** Extra chatter edges after the press and after the release (rounded up to even, so the level settles). */
  bounceEdges?: number;
  /** Window the chatter falls in, ms after the transition (default 5). */
  bounceMs?: number;
  /** Delay before the press starts, ms (default 0). */
  atMs?: number;
}

export class SimButton implements Button {
  private level = false;
  private handler: ((pressed: boolean, timeMs: number) => void) | null = null;
  private scheduled: number[] = [];
  private clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  watch(onEdge: (pressed: boolean, timeMs: number) => void): void {
    this.handler = onEdge;
  }

  unwatch(): void {
    this.handler = null;
  }

  /** The current logical level (true = pressed). */
  isPressed(): boolean {
    return this.level;
  }

  /** Sets the level now; an edge is reported only when the level changes. */
  setLevel(pressed: boolean): void {
    if (pressed === this.level) return;
    this.level = pressed;
    if (this.handler) this.handler(pressed, this.clock.now());
  }

  /**
   * Schedules one press of `holdMs` (press edge at start, release edge `holdMs` later), each
   * followed by `bounceEdges` chatter edges spread evenly over `bounceMs`. Returns the time
   * (on the clock) at which the button is settled released.
   */
  press(holdMs: number, opts?: PressOptions): number {
    var o = opts || {};
    var n = o.bounceEdges ? o.bounceEdges + (o.bounceEdges & 1) : 0;
    var win = o.bounceMs !== undefined ? o.bounceMs : 5;
    var t0 = o.atMs || 0;
    this.transition(t0, true, n, win);
    this.transition(t0 + holdMs, false, n, win);
    return this.clock.now() + t0 + holdMs + (n ? win : 0);
  }

  /** Cancels every scripted edge not yet emitted. */
  cancelScript(): void {
    for (var i = 0; i < this.scheduled.length; i++) this.clock.cancel(this.scheduled[i]);
    this.scheduled = [];
  }

  /** The clean edge at `at`, then n chatter edges alternating back and forth inside `win` ms. */
  private transition(at: number, pressed: boolean, n: number, win: number): void {
    this.edgeAt(at, pressed);
    for (var k = 1; k <= n; k++) this.edgeAt(at + (win * k) / (n + 1), k & 1 ? !pressed : pressed);
  }

  private edgeAt(at: number, pressed: boolean): void {
    var self = this;
    var h = this.clock.after(at, function () {
      var i = self.scheduled.indexOf(h);
      if (i >= 0) self.scheduled.splice(i, 1);
      self.setLevel(pressed);
    });
    this.scheduled.push(h);
  }
}
