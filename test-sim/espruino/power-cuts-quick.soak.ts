/**
 * A few power cuts (SIGKILL at random moments during pairing and sessions) on the espruino-linux
 * device, in npm test (ESPRUINO_QUICK_CUTS, default 4, about a minute): after each cut the device
 * boots (from Storage on espruino-v12000 at the first check, then on RAM boots of its flash file)
 * and is paired or unpaired, never broken, and its failed-attempt count never goes down.
 * power-cuts.soak.ts runs 20.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { lastJson, runInNetns } from "./linux-device.node.ts";
import { espruinoMissing } from "../engines/espruino.ts";

const CUTS = Number(process.env.ESPRUINO_QUICK_CUTS ?? "4");
const missing = espruinoMissing("espruino-v12000") ?? espruinoMissing("espruino");

test(`espruino-linux: ${CUTS} power cuts during pairing and sessions leave the device paired or unpaired, never broken`, { skip: missing ?? false, timeout: CUTS * 2 * 60000 + 5 * 60000 }, async () => {
  const r = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["cuts", String(CUTS), "31415926"]);
  const res = lastJson(r.out);
  assert.ok(res && res.ok, "power cuts failed:\n" + r.out.join("\n"));
  const cuts = res.cuts as { cuts: number; storageBoots: number };
  assert.equal(cuts.cuts, CUTS);
  assert.ok(cuts.storageBoots >= 1, "no check booted from Storage");
  assert.equal(r.code, 0);
});
