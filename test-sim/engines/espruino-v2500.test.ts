/**
 * Every crypto suite of the self-test ends with `N passed, 0 failed` on `espruino-v2500` (the
 * Puck.js class: the crypto image from Storage, as a board runs saved code), the vectors fed over
 * the console in pieces, the `smoke` samples (test-sim/engines/espruino-plans.ts), and the
 * variables in use stay under the build's 2 500. A file of its own, so that npm test runs it
 * beside the other builds'.
 */
import { test } from "node:test";
import { espruinoMissing } from "./espruino.ts";
import { quickPlan } from "./espruino-plans.ts";
import { assertSelftest } from "./espruino-selftest.ts";

const plan = quickPlan("espruino-v2500");
test(`espruino-v2500: ${plan.suites.join(", ")} (smoke samples), ${plan.image} image from Storage, end with N passed, 0 failed`, { skip: espruinoMissing("espruino-v2500") ?? false, timeout: 420_000 }, async () => {
  await assertSelftest(plan, 360_000);
});
