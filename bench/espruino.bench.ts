/**
 * The real Espruino interpreter (../shared/engines/espruino, Linux builds of 2v29):
 *  - each Espruino board image's Storage footprint (image + options file + headers) against the
 *    board's Storage budget (boards/NAME.json budgets.codeBytes), and for a board it does not fit
 *    the minified bytes per source area (what would have to go);
 *  - variables in use (process.memory().usage) after load, boot and gate and their peak, the
 *    espruino-linux image run from Storage on espruino-v12000 and on the Puck.js-class
 *    espruino-v2500 (test-sim/espruino/memory.node.ts);
 *  - the main job's story on espruino-v12000 (test-sim/espruino/story.node.ts): device-side wall
 *    time per step and the peak JsVars in use per step — boot, gate, pairing, session —
 *    (process.memory().usage, sampled between event-loop ticks). On this build code run from Storage reads the flash file on every access (about 10×
 *    slower than RAM; a board maps its flash), so the times are an upper bound for the engine.
 *  - one pairing and one session (Noise KK + 2 echoes) on `espruino` with the image copied from
 *    Storage to RAM (test-sim/espruino/measure.node.ts): device-side wall time, and x86-64
 *    instructions under callgrind counted only while the step runs (each step in its own callgrind
 *    process, started from the flash file in the state it needs), beside the Duktape figures of
 *    bench/onboarding.bench.ts (same steps; Duktape's exclude the simulator bridge).
 * FIRSTLIGHT_BENCH_ESPRUINO_STORY=0 leaves the story out (it takes about 6 minutes);
 * FIRSTLIGHT_BENCH_ESPRUINO_CALLGRIND=0 leaves the callgrind runs out (the session's took 25 minutes
 * at load 17; the pairing's must end inside the device's commissioning window, 15 minutes at most,
 * which an instrumented pairing on a heavily loaded host does not: its figure then says so).
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { ES5_OUT, ROOT } from "../build/paths.ts";
import { listBoards, loadBoard } from "../build/boards.ts";
import { boardImageFile, flashableBoards } from "../build/board-images.ts";
import { storageFit } from "../build/flash.node.ts";
import { lastJson, runInNetns } from "../test-sim/espruino/linux-device.node.ts";
import { measureBoot } from "../test-sim/espruino/memory.node.ts";
import type { BenchRow } from "./run.ts";

/** Minified bytes each source area adds to a board image (esbuild's metafile), largest first. */
async function imageAreas(board: string): Promise<[string, number][]> {
  const esbuild = await import("esbuild");
  const r = await esbuild.build({
    entryPoints: [join(ES5_OUT, "board-entries", board + ".js")], bundle: true, format: "iife", target: "es5", minify: true,
    write: false, metafile: true, logLevel: "silent", charset: "ascii", legalComments: "none",
  });
  const out = Object.values(r.metafile.outputs)[0];
  const g: Record<string, number> = {};
  for (const [f, v] of Object.entries(out.inputs)) {
    const m = /\.build\/es5\/((?:firmware|hal)\/[^/]+)/.exec(f);
    const k = m ? m[1].replace(/\.js$/, "") : "other";
    g[k] = (g[k] ?? 0) + v.bytesInOutput;
  }
  return Object.entries(g).sort((a, b) => b[1] - a[1]);
}

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
    if (fit.need > fit.room) {
      const areas = await imageAreas(b.name);
      rows.push({
        section, name: `${b.name}: minified bytes per area (what would have to go)`, engine: "espruino", value: fit.need - fit.room, unit: "B over",
        note: areas.map(([a, n]) => `${a} ${n}`).join(", ") + ": no set of areas without a security function fits; see docs/engines.md, Memory on Espruino",
      });
    }
  }
  section = "variables from Storage (test-sim/espruino/memory.node.ts): espruino-linux image, phases load → boot → gate";
  const image = boardImageFile("espruino-linux");
  for (const binary of ["espruino-v12000", "espruino-v2500"]) {
    // The image alone: loaded without its options file, it says why it does not start.
    const alone = await measureBoot({ image, binary, noOptions: true, timeoutMs: 60_000 });
    const ran = alone.lines.some((l) => /no owner options/.test(l));
    rows.push({
      section, name: "image alone (no options file): variables in use", engine: binary, value: ran ? alone.phases.load ?? NaN : NaN, unit: "JsVars",
      note: ran ? `of ${alone.total}` : `does not load: ${String(alone.error).slice(0, 100)}`,
    });
    const r = await measureBoot({ image, binary, timeoutMs: 300_000 });
    for (const phase of ["load", "boot", "gate"] as const) {
      const v = r.phases[phase];
      rows.push({
        section, name: `${phase}: variables in use`, engine: binary, value: v ?? NaN, unit: "JsVars",
        note: v !== undefined ? `of ${r.total}` : r.error ? `not reached: ${r.error.slice(0, 100)}` : "not reached",
      });
    }
    rows.push({
      section, name: "peak variables, load to gate (sampled every 100 ms)", engine: binary, value: r.ok ? r.peak : NaN, unit: "JsVars",
      note: r.ok ? `of ${r.total}` : `fails ${r.at === "load" ? "while loading" : "after " + r.at}: ${String(r.error).slice(0, 100)}`,
      target: binary === "espruino-v2500" ? { goal: "the puckjs-class image onboards on espruino-v2500 (Puck.js has 2 630)", met: r.ok } : undefined,
    });
  }
  if (process.env.FIRSTLIGHT_BENCH_ESPRUINO_CALLGRIND !== "0") {
    section = "one pairing and one session on the Espruino Linux build (espruino, image copied from Storage to RAM)";
    // Two runs at once, each in its own namespace: wall times + the session, and the pairing.
    const [m, mp] = await Promise.all([
      runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["measure"]),
      runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["measure-pairing"]),
    ]);
    const mr = lastJson(m.out) as { ok: boolean; measured?: { pairingMs: number; sessionMs: number; sessionInstr: number | null; errors: string[] } } | null;
    const pr = lastJson(mp.out) as { ok: boolean; pairingInstr?: number; error?: string } | null;
    const pairingInstr = pr && pr.ok && typeof pr.pairingInstr === "number" ? pr.pairingInstr : NaN;
    rows.push({ section, name: "pairing: x86-64 instructions (callgrind)", engine: "espruino", value: pairingInstr, unit: "instr", note: pairingInstr === pairingInstr ? "Duktape's figure: onboarding.bench.ts" : "failed: " + (pr ? String(pr.error).slice(0, 200) : mp.out.slice(-3).join(" | ")) });
    if (mr && mr.ok && mr.measured) {
      const x = mr.measured;
      rows.push({ section, name: "pairing (CPace + Noise XXpsk3): wall time", engine: "espruino", value: x.pairingMs, unit: "ms" });
      rows.push({ section, name: "session (Noise KK + 2 echoes): wall time", engine: "espruino", value: x.sessionMs, unit: "ms" });
      rows.push({ section, name: "session: x86-64 instructions (callgrind)", engine: "espruino", value: x.sessionInstr ?? NaN, unit: "instr", note: x.sessionInstr === null ? "failed: " + x.errors.join("; ") : "Duktape's figure: onboarding.bench.ts" });
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
