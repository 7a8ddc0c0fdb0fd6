import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../../../hal/sim/clock.ts";
import { RealClock } from "../../../hal/sim/real-clock.node.ts";

test("SimClock: advance lands exactly on the window end; pending and nextDue", () => {
  const c = new SimClock(1000);
  c.after(5, () => {});
  c.after(50, () => {});
  assert.equal(c.pending(), 2);
  assert.equal(c.nextDue(), 1005);
  assert.equal(c.advance(10), 1);
  assert.equal(c.now(), 1010);
  assert.equal(c.pending(), 1);
  assert.throws(() => c.advance(-1));
});

test("SimClock: runUntilIdle stops at the last timer and respects the limit", () => {
  const c = new SimClock();
  let n = 0;
  const tick = () => {
    if (++n < 5) c.after(100, tick);
  };
  c.after(100, tick);
  assert.equal(c.runUntilIdle(250), false);
  assert.equal(n, 2);
  assert.equal(c.now(), 200);
  assert.equal(c.runUntilIdle(10_000), true);
  assert.equal(n, 5);
  assert.equal(c.now(), 500);
});

test("RealClock: timers fire once and cancel works", async () => {
  const c = new RealClock();
  const t0 = c.now();
  let a = 0, b = 0;
  c.after(5, () => a++);
  const hb = c.after(5, () => b++);
  c.cancel(hb);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(a, 1);
  assert.equal(b, 0);
  assert.ok(c.now() > t0);
  assert.equal(c.pending(), 0);
  c.stop();
});
