import { test } from "node:test";
import assert from "node:assert/strict";
import { jitterTrng, jitterSample, JITTER_LOOP } from "../../../hal/espruino/jitter.ts";
import { SimJitterClock, BASE_US } from "../../../hal/sim/jitter.ts";
import { SimClock } from "../../../hal/sim/clock.ts";
import { trngContract } from "../contract/trng.ts";

trngContract("timing jitter (getTime around a busy loop, modelled clock)", () => {
  const clock = new SimClock();
  return { trng: jitterTrng(new SimJitterClock(clock, "contract")), settle: () => clock.advance(1), alwaysAsync: true };
});

test("a sample is the low byte of the loop's duration in µs", () => {
  let t = 0;
  const env = { getTime: () => (t += 0.000123), setTimeout: () => 0 };
  assert.equal(jitterSample(env), 123);
  const model = new SimJitterClock(new SimClock(), "x");
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) seen.add(jitterSample(model));
  assert.ok(JITTER_LOOP > 0);
  assert.deepEqual([Math.min(...seen), Math.max(...seen), seen.size], [BASE_US, BASE_US + 14, 15], "base + two uniform 0…7 delays");
});

test("a clock that does not tick gives constant samples", () => {
  const stuck = new SimJitterClock(new SimClock(), "x", true);
  for (let i = 0; i < 10; i++) assert.equal(jitterSample(stuck), 0);
});
