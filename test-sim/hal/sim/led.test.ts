import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../../../hal/sim/clock.ts";
import { SimLed } from "../../../hal/sim/led.ts";

test("SimLed records each change with its time", () => {
  const clock = new SimClock();
  const led = new SimLed(clock);
  const seen: boolean[] = [];
  led.onChange((on) => seen.push(on));
  led.set(true);
  clock.advance(250);
  led.set(true);
  led.set(false);
  clock.advance(250);
  led.set(true);
  assert.deepEqual(led.history(), [{ timeMs: 0, on: true }, { timeMs: 250, on: false }, { timeMs: 500, on: true }]);
  assert.deepEqual(seen, [true, false, true]);
  assert.equal(led.isOn(), true);
  led.clearHistory();
  assert.deepEqual(led.history(), []);
});
