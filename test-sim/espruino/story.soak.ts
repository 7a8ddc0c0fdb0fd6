/**
 * The main job's story on the real Espruino interpreter (espruino-v12000, the ESP32-class build):
 * the espruino-linux board image written with the espruino CLI over telnet, booted from Storage,
 * button, pairing with the commissioner CLI over TCP, a power cut (SIGKILL) and a boot from Storage
 * and the flash file, a Noise KK session with echo and audit read, decommission; every step runs
 * from Storage, as on a board (about 6 minutes on the Linux build; story-ram.test.ts, in npm test, runs
 * the pairing and session on a RAM boot). Inside `unshare -n` when allowed (telnet's port 2323 is
 * fixed). The power cuts are power-cuts.test.ts and power-cuts.soak.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { lastJson, runInNetns } from "./linux-device.node.ts";

test("espruino-v12000, all from Storage: flash, boot, press, pair, power cut, session with echo and audit, decommission", { timeout: 15 * 60000 }, async () => {
  const r = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["story", "31415926"]);
  const res = lastJson(r.out);
  assert.ok(res && res.ok, "story failed:\n" + r.out.join("\n"));
  const steps = (res.story as { steps: { step: string }[] }).steps.map((s) => s.step);
  assert.deepEqual(steps, ["flash", "entropy gate", "button", "pairing", "power cut", "session"]);
  assert.equal(r.code, 0);
});
