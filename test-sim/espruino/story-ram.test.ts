/**
 * The main job's story on the real Espruino interpreter, in npm test (2.5–5.5 minutes at load
 * 15–20 on 2 cores): the espruino-linux board image written with `npm run flash`'s path (the
 * espruino CLI over the telnet console of espruino-v12000), the start of its first boot from
 * Storage there and a power cut before its entropy gate (minutes from Storage under load), the
 * device root and the gate on a RAM boot, the button, a pairing with the commissioner CLI over TCP, a power cut (SIGKILL) and a boot from
 * Storage and the flash file on espruino-v12000 (still paired), a Noise KK session with echo and
 * audit read, decommission. The pairing and the session run on a RAM boot of the same flash file
 * (story.node.ts BootFrom: the Linux build reads code in Storage from the file on every access,
 * about 14× slower); story.soak.ts runs every step from Storage. Inside `unshare -n` when allowed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { lastJson, runInNetns } from "./linux-device.node.ts";
import { espruinoMissing } from "../engines/espruino.ts";

const missing = espruinoMissing("espruino-v12000") ?? espruinoMissing("espruino");

test("espruino-v12000: flash over telnet, boot from Storage, press, pair, power cut, boot from Storage, session with echo and audit, decommission", { skip: missing ?? false, timeout: 8 * 60000 }, async () => {
  const r = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["story", "31415926", "ram"]);
  const res = lastJson(r.out);
  assert.ok(res && res.ok, "story failed:\n" + r.out.join("\n"));
  const steps = (res.story as { steps: { step: string; detail?: string }[] }).steps;
  assert.deepEqual(steps.map((s) => s.step), ["flash", "power cut", "button", "pairing", "power cut", "power cut", "session"]);
  assert.match(steps[4].detail ?? "", /espruino-v12000, from Storage.*still paired/);
  assert.equal(r.code, 0);
});
