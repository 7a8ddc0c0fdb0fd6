/**
 * The real Espruino interpreter (../shared/engines/espruino, Linux builds of 2v29):
 *  - each Espruino board image's Storage footprint (image + options file + headers) against the
 *    board's Storage budget (boards/NAME.json budgets.codeBytes);
 *  - the Puck.js-class build (espruino-v2500): whether the device image loads from Storage;
 *  - the main job's story on espruino-v12000 (test-sim/espruino/story.node.ts): device-side wall
 *    time per step and the peak JsVars in use (process.memory().usage, sampled between event-loop
 *    ticks). On this build code run from Storage reads the flash file on every access (about 10×
 *    slower than RAM; a board maps its flash), so the times are an upper bound for the engine.
 *  - one pairing and one session (Noise KK + 2 echoes) on `espruino` with the image copied from
 *    Storage to RAM (test-sim/espruino/measure.node.ts): device-side wall time, and x86-64
 *    instructions under callgrind counted only while the step runs, beside the Duktape figures of
 *    bench/onboarding.bench.ts (same steps; Duktape's exclude the simulator bridge).
 * FIRSTLIGHT_BENCH_ESPRUINO_STORY=0 leaves the story out (it takes about 6 minutes);
 * FIRSTLIGHT_BENCH_ESPRUINO_CALLGRIND=0 leaves the callgrind run out (about 10 minutes).
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../build/paths.ts";
import { listBoards, loadBoard } from "../build/boards.ts";
import { boardImageFile, flashableBoards } from "../build/board-images.ts";
import { storageFit } from "../build/flash.node.ts";
import { lastJson, runInNetns } from "../test-sim/espruino/linux-device.node.ts";
import type { BenchRow } from "./run.ts";

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let section = "Espruino board images in Storage (image + firstlight.json + 2 file headers)";
  for (const b of flashableBoards(listBoards().map((n) => loadBoard(n)))) {
    const bytes = statSync(boardImageFile(b.name)).size;
    const fit = storageFit(b, bytes, JSON.stringify({ setupCode: "31415926", windowMs: 900000 }).length);
    rows.push({
      section, name: `${b.name} Storage footprint`, engine: "espruino", value: fit.need, unit: "B",
      note: `room ${fit.room} B: ${fit.need <= fit.room ? "fits, " + (fit.room - fit.need) + " B spare" : "over by " + (fit.need - fit.room) + " B"}`,
      target: { goal: `${b.name}: the image fits the board's Storage`, met: fit.need <= fit.room },
    });
  }
  section = "espruino-v2500 (Puck.js-class, 2 500 variables): the device image from Storage";
  const v = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["load", "espruino-v2500"]);
  const vr = lastJson(v.out) as { ok: boolean; loaded?: boolean; usage?: number; total?: number; error?: string } | null;
  const w = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["load", "espruino-v12000"]);
  const wr = lastJson(w.out) as { ok: boolean; loaded?: boolean; usage?: number; total?: number } | null;
  const need = wr && wr.loaded ? (wr.usage as number) : NaN;
  rows.push({
    section, name: "loads and starts on espruino-v2500", engine: "espruino-v2500", value: vr && vr.loaded ? 1 : 0, unit: "yes=1",
    note: vr ? (vr.loaded ? `${vr.usage} of ${vr.total} variables after boot` : String(vr.error ?? "").slice(0, 120)) : "no result",
    target: { goal: "the puckjs-class image onboards on espruino-v2500", met: !!(vr && vr.loaded) },
  });
  rows.push({
    section, name: "variables in use after boot (device started, gate open) on espruino-v12000", engine: "espruino-v12000", value: need, unit: "JsVars",
    note: Number.isFinite(need) ? `Puck.js has 2630, espruino-v2500 2500: over by ${need - 2500}` : "no result",
  });
  if (process.env.FIRSTLIGHT_BENCH_ESPRUINO_CALLGRIND !== "0") {
    section = "one pairing and one session on the Espruino Linux build (espruino, image copied from Storage to RAM)";
    const m = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["measure"]);
    const mr = lastJson(m.out) as { ok: boolean; measured?: { pairingMs: number; sessionMs: number; pairingInstr: number; sessionInstr: number } } | null;
    if (mr && mr.ok && mr.measured) {
      const x = mr.measured;
      rows.push({ section, name: "pairing (CPace + Noise XXpsk3): wall time", engine: "espruino", value: x.pairingMs, unit: "ms" });
      rows.push({ section, name: "session (Noise KK + 2 echoes): wall time", engine: "espruino", value: x.sessionMs, unit: "ms" });
      rows.push({ section, name: "pairing: x86-64 instructions (callgrind)", engine: "espruino", value: x.pairingInstr, unit: "instr", note: "Duktape's figure: onboarding.bench.ts" });
      rows.push({ section, name: "session: x86-64 instructions (callgrind)", engine: "espruino", value: x.sessionInstr, unit: "instr", note: "Duktape's figure: onboarding.bench.ts" });
    } else rows.push({ section, name: "pairing and session", engine: "espruino", value: NaN, unit: "", note: "failed: " + m.out.slice(-3).join(" | ") });
  }
  if (process.env.FIRSTLIGHT_BENCH_ESPRUINO_STORY !== "0") {
    section = "the main job's story on espruino-v12000 (image run from Storage)";
    const s = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["story", "31415926"]);
    const sr = lastJson(s.out) as { ok: boolean; story?: { steps: { step: string; ms: number; peakVars?: number; totalVars?: number }[] } } | null;
    if (sr && sr.ok && sr.story) {
      for (const st of sr.story.steps) {
        rows.push({ section, name: `${st.step}: wall time`, engine: "espruino-v12000", value: st.ms, unit: "ms" });
        if (st.peakVars) rows.push({ section, name: `${st.step}: peak variables in use`, engine: "espruino-v12000", value: st.peakVars, unit: "JsVars", note: `of ${st.totalVars}` });
      }
    } else rows.push({ section, name: "story", engine: "espruino-v12000", value: NaN, unit: "", note: "failed: " + s.out.slice(-3).join(" | ") });
  }
  return rows;
}
