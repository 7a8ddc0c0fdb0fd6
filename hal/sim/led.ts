/**
 * The status LED of the simulator: remembers every change with its time, so tests can check a
 * blink pattern and the main job can draw it. ES5.
 */
import type { Clock } from "../clock";
import type { Led } from "../led";

export interface LedChange {
  timeMs: number;
  on: boolean;
}

export class SimLed implements Led {
  private state = false;
  private changes: LedChange[] = [];
  private listener: ((on: boolean, timeMs: number) => void) | null = null;
  private clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** Records a change only when the state changes (setting the same state twice is one entry). */
  set(on: boolean): void {
    on = !!on;
    if (on === this.state) return;
    this.state = on;
    var t = this.clock.now();
    this.changes.push({ timeMs: t, on: on });
    if (this.listener) this.listener(on, t);
  }

  isOn(): boolean {
    return this.state;
  }

  /** Every change so far, oldest first (a copy). */
  history(): LedChange[] {
    return this.changes.slice(0);
  }

  /** Forgets the history (the state stays). */
  clearHistory(): void {
    this.changes = [];
  }

  /** Called on every change (the main job's display). */
  onChange(fn: ((on: boolean, timeMs: number) => void) | null): void {
    this.listener = fn;
  }
}
