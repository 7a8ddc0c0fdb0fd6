/**
 * The built images on the real Espruino interpreter (../shared/engines/espruino): input that claims
 * more bytes than exist is refused there (frames, TLVs, flash records), and every crypto suite of
 * the self-test ends with `N passed, 0 failed` on `espruino` (core image from RAM, the `spread`
 * samples: test-sim/engines/espruino-plans.ts). The same suites from Storage on the fixed-memory
 * builds: espruino-v12000.test.ts and espruino-v2500.test.ts; the whole sets: espruino.soak.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DIST } from "../../build/paths.ts";
import { espruinoMissing, runEspruino } from "./espruino.ts";
import { quickPlan } from "./espruino-plans.ts";
import { assertSelftest } from "./espruino-selftest.ts";
import { parseSummary } from "./summary.ts";

const missing = espruinoMissing("espruino");

test("espruino: frames, TLVs and flash records that claim more bytes than exist are refused (built bounds suite, core image)", { skip: missing ?? false, timeout: 120_000 }, async () => {
  const r = await runEspruino("espruino", readFileSync(join(DIST, "selftest", "bounds.js"), "utf8"), { timeoutMs: 100_000 });
  const s = parseSummary(r.stdout.trim());
  assert.ok(s, `no summary (exit ${r.code}):\n${r.stdout.slice(-2000)}`);
  assert.equal(s.failed, 0, r.stdout.slice(-3000));
  assert.ok(s.passed >= 18, `only ${s.passed} checks`);
  assert.match(r.stdout, /suite bounds: \d+ passed, 0 failed/);
});

const plan = quickPlan("espruino");
test(`espruino: ${plan.suites.join(", ")} (spread samples), core image from RAM, end with N passed, 0 failed`, { skip: missing ?? false, timeout: 300_000 }, async () => {
  await assertSelftest(plan, 240_000);
});
