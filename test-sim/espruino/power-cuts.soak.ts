/**
 * SIGKILL at random moments during pairing and sessions on the espruino-linux device (ESPRUINO_CUTS,
 * default 20; each cut costs a boot and up to a pairing's time on a RAM boot of the flash file,
 * every 4th check boots from Storage on espruino-v12000): after every cut the device is paired or
 * unpaired, never broken, and its failed-attempt count never goes down. Flashed over telnet with a
 * first boot from Storage, as on a board. npm test runs 20 with a file upload and one check from
 * Storage (power-cuts.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { lastJson, runInNetns } from "./linux-device.node.ts";

const CUTS = Number(process.env.ESPRUINO_CUTS ?? "20");

test(`espruino-linux: ${CUTS} power cuts during pairing and sessions leave the device paired or unpaired, never broken`, { timeout: CUTS * 2 * 60000 + 10 * 60000 }, async () => {
  const r = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["cuts", String(CUTS), "31415926"]);
  const res = lastJson(r.out);
  assert.ok(res && res.ok, "power cuts failed:\n" + r.out.join("\n"));
  const cuts = res.cuts as { cuts: number; during: { pairing: number; session: number } };
  assert.equal(cuts.cuts, CUTS);
  assert.ok(cuts.during.pairing > 0, "no cut landed during a pairing");
  assert.equal(r.code, 0);
});
