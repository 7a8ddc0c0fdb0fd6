/**
 * `npm run soak`: every self-test suite on every Espruino build, whole, the vectors fed over the
 * console in pieces (test-sim/engines/espruino-plans.ts says how per build):
 *
 *   espruino          core image from RAM, every suite, every vector (about two hours)
 *   espruino-v12000   core image from Storage, every suite (the Monte and iterated tests cut short)
 *   espruino-v2500    crypto image from Storage, every crypto suite (the core image does not load)
 *
 * The builds run side by side. Bounded: FIRSTLIGHT_ESPRUINO_SOAK_BUILDS (comma list, default all
 * three) and FIRSTLIGHT_ESPRUINO_SOAK_SUITES (comma list, overrides the suites of every build)
 * choose the runs, FIRSTLIGHT_ESPRUINO_SOAK_MINUTES (default 300) bounds each.
 */
import { test } from "node:test";
import { ESPRUINO_BUILDS, espruinoMissing, type EspruinoBuild } from "./espruino.ts";
import { soakPlan } from "./espruino-plans.ts";
import { assertSelftest } from "./espruino-selftest.ts";

const builds = (process.env.FIRSTLIGHT_ESPRUINO_SOAK_BUILDS?.split(",") ?? ESPRUINO_BUILDS) as EspruinoBuild[];
const chosen = process.env.FIRSTLIGHT_ESPRUINO_SOAK_SUITES?.split(",");
const minutes = Number(process.env.FIRSTLIGHT_ESPRUINO_SOAK_MINUTES ?? 300);

test("the whole self-test on the Espruino builds", { concurrency: builds.length, timeout: minutes * 60_000 }, async (t) => {
  for (const build of builds) {
    const o = soakPlan(build, chosen);
    t.test(`${build}: ${o.suites.length} self-test suites, ${o.image} image from ${o.load === "ram" ? "RAM" : "Storage"}, end with N passed, 0 failed`,
      { skip: espruinoMissing(build) ?? false, timeout: minutes * 60_000 }, async () => {
        await assertSelftest(o, minutes * 60_000);
      });
  }
});
