/**
 * Variables through a pairing and a session on espruino-v12000, every step from Storage
 * (test-sim/espruino/memory-story.node.ts): the device samples process.memory().usage itself every
 * 200 ms; the test prints each phase's usage and peak and checks that every phase stays within
 * the build's 12 000 and that the session's peak stays under the pairing's (the pairing overlay,
 * CPace and Noise XX, is the largest). About 10 minutes on the Linux build (a pairing from Storage
 * takes minutes). Inside `unshare -n` when allowed (telnet's port 2323 is fixed).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { lastJson, runInNetns } from "./linux-device.node.ts";
import { espruinoMissing } from "../engines/espruino.ts";
import type { PhaseMemory } from "./memory-story.node.ts";

const missing = espruinoMissing("espruino-v12000") ?? espruinoMissing("espruino");

test("espruino-v12000, all from Storage: variables in use and peak through first boot, pairing, boot and session", { skip: missing ?? false, timeout: 30 * 60000 }, async () => {
  const r = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["memory-story", "espruino-v12000"], (l) => console.log("  " + l));
  const res = lastJson(r.out);
  assert.ok(res && res.ok, "memory story failed:\n" + r.out.join("\n"));
  const phases = res.phases as PhaseMemory[];
  assert.deepEqual(phases.map((p) => p.phase), ["first boot, gate open", "pairing", "boot from Storage, paired, gate open", "session"]);
  for (const p of phases) assert.ok(p.peak >= p.usage && p.peak < p.total, JSON.stringify(p));
  assert.ok(phases[3].peak <= phases[1].peak, `session peak ${phases[3].peak} over the pairing's ${phases[1].peak}`);
  assert.equal(r.code, 0);
});
