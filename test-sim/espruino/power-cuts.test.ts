/**
 * 20 power cuts (SIGKILL at random moments during pairings and sessions) on the espruino-linux
 * device, in npm test (ESPRUINO_TEST_CUTS, default 20; about 5–8 minutes on a loaded 2-core host):
 * after each cut the device boots again from its flash file and must be paired or unpaired, never
 * broken, with a failed-attempt count that never went down (power-cuts.node.ts checks each). To fit
 * npm test the image is flashed from `npm run flash -- --out`'s upload run as a file (the telnet
 * upload is story-ram.test.ts's) and every check boots the image copied from Storage to RAM on
 * `espruino` (boots from Storage on espruino-v12000 are story-ram.test.ts's). power-cuts.soak.ts
 * runs the longer version (telnet, every 4th check from Storage; ESPRUINO_CUTS). Inside
 * `unshare -n` when allowed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { lastJson, runInNetns } from "./linux-device.node.ts";
import { espruinoMissing } from "../engines/espruino.ts";

const CUTS = Number(process.env.ESPRUINO_TEST_CUTS ?? "20");
const missing = espruinoMissing("espruino-v12000") ?? espruinoMissing("espruino");

test(`espruino-linux: ${CUTS} power cuts during pairing and sessions leave the device paired or unpaired, never broken`, { skip: missing ?? false, timeout: CUTS * 60000 + 10 * 60000 }, async () => {
  const r = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["cuts", String(CUTS), "31415926", "quick"]);
  const res = lastJson(r.out);
  assert.ok(res && res.ok, "power cuts failed:\n" + r.out.join("\n"));
  const cuts = res.cuts as { cuts: number; during: { pairing: number; session: number }; storageBoots: number; checks: string[] };
  assert.equal(cuts.cuts, CUTS);
  assert.ok(cuts.during.pairing > 0, "no cut landed during a pairing");
  assert.ok(cuts.during.session > 0, "no cut landed during a session");
  assert.ok(cuts.checks.filter((c) => /^(paired|unpaired), \d+ failed/.test(c)).length >= CUTS, "a cut without its check");
  assert.equal(r.code, 0);
});
