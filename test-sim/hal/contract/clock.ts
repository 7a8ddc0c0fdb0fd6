/** The Clock contract: monotonic time, one-shot timers in due order, cancel. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Clock } from "../../../hal/clock.ts";

export interface ClockHarness {
  clock: Clock;
  /** Moves the underlying (virtual) time forward and runs what falls due. */
  advance(ms: number): void;
}

export function clockContract(name: string, make: () => ClockHarness): void {
  describe(`Clock contract: ${name}`, () => {
    test("now() is monotonic and follows elapsed time", () => {
      const { clock, advance } = make();
      const t0 = clock.now();
      assert.equal(clock.now() >= t0, true);
      advance(25);
      const t1 = clock.now();
      assert.ok(t1 - t0 >= 25 && t1 - t0 < 26, `advanced ${t1 - t0}`);
      advance(0);
      assert.ok(clock.now() >= t1);
    });

    test("a timer never fires synchronously nor before its time", () => {
      const { clock, advance } = make();
      let fired = 0;
      clock.after(10, () => fired++);
      assert.equal(fired, 0);
      advance(9);
      assert.equal(fired, 0);
      advance(1);
      assert.equal(fired, 1);
      advance(100);
      assert.equal(fired, 1, "one-shot");
    });

    test("timers fire in due order; equal due times in the order set", () => {
      const { clock, advance } = make();
      const seen: string[] = [];
      clock.after(30, () => seen.push("c"));
      clock.after(10, () => seen.push("a1"));
      clock.after(20, () => seen.push("b"));
      clock.after(10, () => seen.push("a2"));
      clock.after(0, () => seen.push("z"));
      advance(50);
      assert.deepEqual(seen, ["z", "a1", "a2", "b", "c"]);
    });

    test("a timer sees now() at or after its due time", () => {
      const { clock, advance } = make();
      const t0 = clock.now();
      let at = -1;
      clock.after(15, () => (at = clock.now()));
      advance(40);
      assert.ok(at - t0 >= 15, `fired at +${at - t0}`);
    });

    test("cancel stops a pending timer; cancelling a fired or unknown handle does nothing", () => {
      const { clock, advance } = make();
      let a = 0, b = 0;
      const ha = clock.after(5, () => a++);
      const hb = clock.after(5, () => b++);
      clock.cancel(hb);
      advance(10);
      assert.equal(a, 1);
      assert.equal(b, 0);
      clock.cancel(ha);
      clock.cancel(hb);
      clock.cancel(987654);
    });

    test("cancelling an old handle never cancels a newer timer (engines reuse their ids)", () => {
      const { clock, advance } = make();
      let late = 0;
      const old = clock.after(1, () => {});
      advance(2);
      clock.after(5, () => late++);
      clock.cancel(old);
      advance(10);
      assert.equal(late, 1);
    });

    test("a timer set from inside a timer runs later, in order", () => {
      const { clock, advance } = make();
      const seen: number[] = [];
      clock.after(5, () => {
        seen.push(1);
        clock.after(5, () => seen.push(3));
      });
      clock.after(7, () => seen.push(2));
      advance(20);
      assert.deepEqual(seen, [1, 2, 3]);
    });
  });
}
