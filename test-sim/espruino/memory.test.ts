/**
 * Variables on the real Espruino interpreter (test-sim/espruino/memory.node.ts): the
 * espruino-linux board image, run from Storage as a board runs it,
 *  - boots on espruino-v12000 and opens its entropy gate within a ceiling a little above what it
 *    uses today (4 069 of 12 000 variables after the gate; 5 750 before the overlays and the
 *    build's Espruino passes, 7 341 before the image ran in the root scope);
 *  - loads on the Puck.js-class espruino-v2500 (2 500 variables; Puck.js has 2 630) and, without
 *    its owner's options, says why it does not start, within a ceiling a little above the 2 115 it
 *    uses (it ran out of memory while loading before the overlays). The first boot does not fit
 *    there yet: what remains is in docs/engines.md ("Memory on Espruino").
 * The ceilings catch an image that grows back.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DIST } from "../../build/paths.ts";
import { espruinoMissing } from "../engines/espruino.ts";
import { measureBoot } from "./memory.node.ts";

/** Variables after the gate on espruino-v12000, with room for the noise of a first boot. */
export const GATE_VARIABLES_CEILING = 4400;
/** Variables once the image alone has loaded on espruino-v2500. */
export const V2500_LOAD_CEILING = 2300;

const image = join(DIST, "firstlight-board-espruino-linux.js");
const imageMissing = existsSync(image) ? undefined : `${image} is missing (npx tsx build/build.ts)`;
const missing = espruinoMissing("espruino") ?? espruinoMissing("espruino-v12000") ?? imageMissing;

test(`espruino-v12000: the espruino-linux image boots from Storage and opens its gate within ${GATE_VARIABLES_CEILING} variables`, { skip: missing ?? false, timeout: 300_000 }, async () => {
  const r = await measureBoot({ image, binary: "espruino-v12000", timeoutMs: 240_000 });
  assert.ok(r.ok, `did not reach the gate: ${r.error} (phases ${JSON.stringify(r.phases)})\n  ${r.lines.slice(-10).join("\n  ")}`);
  assert.equal(r.total, 12000);
  assert.ok(r.phases.load! < r.phases.boot! && r.phases.boot! <= r.phases.gate!, JSON.stringify(r.phases));
  assert.ok(r.peak <= GATE_VARIABLES_CEILING, `peak ${r.peak} variables (phases ${JSON.stringify(r.phases)}) is over the ceiling ${GATE_VARIABLES_CEILING}`);
});

const missing2500 = espruinoMissing("espruino") ?? espruinoMissing("espruino-v2500") ?? imageMissing;

test(`espruino-v2500: the espruino-linux image loads from Storage within ${V2500_LOAD_CEILING} variables and says why it does not start without options`, { skip: missing2500 ?? false, timeout: 120_000 }, async () => {
  const r = await measureBoot({ image, binary: "espruino-v2500", noOptions: true, timeoutMs: 60_000 });
  assert.equal(r.total, 2500, r.lines.slice(-10).join("\n  "));
  assert.match(r.error ?? "", /MEMPROBE-PROBLEM no owner options: Storage file firstlight\.json is missing/, r.lines.slice(-10).join("\n  "));
  assert.ok(!r.lines.some((l) => /MEMORY|Uncaught/.test(l)), r.lines.slice(-10).join("\n  "));
  assert.ok(r.phases.load! <= V2500_LOAD_CEILING, `the image alone uses ${r.phases.load} variables, over the ceiling ${V2500_LOAD_CEILING}`);
});
