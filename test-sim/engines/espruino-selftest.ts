/**
 * The project's self-test on a real Espruino build, the vectors fed over the console one piece at a
 * time (build/selftest.ts cuts them), so that even the 2 500-variable build never holds more than
 * the image, the runner and one piece:
 *
 *   load "ram"      image + runner given as the command-line file (code in RAM: measures speed)
 *   load "storage"  image and runner written to Storage in 1 KB pieces and run from flash, as a
 *                   board runs saved code (about 10x slower on the Linux build: measures memory)
 *
 * After each piece the feeder reads `process.memory().usage`; the result carries the peak.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST } from "../../build/paths.ts";
import { DONE_STATEMENT, RUNNER, loadVectors, pieceStatements } from "../../build/selftest.ts";
import { EspruinoConsole, type EspruinoBuild } from "./espruino.ts";
import { parseSummary } from "./summary.ts";

export interface EspruinoSelftestOptions {
  build: EspruinoBuild;
  suites: string[];
  /** Which image: `core` (every suite) or `crypto` (the crypto suites; fits the 2 500-variable build). */
  image: "core" | "crypto";
  load: "ram" | "storage";
  /** Longest piece statement sent at once (an item longer than this travels alone). */
  pieceChars: number;
  /** Per piece. */
  timeoutMs?: number;
}

export interface EspruinoSelftestResult {
  /** What the runner printed: suite lines, FAIL lines, and the closing `N passed, M failed`. */
  stdout: string;
  passed: number;
  failed: number;
  pieces: number;
  /** Variables in use: after loading image and runner, and the most after any piece. */
  loadedVars: number;
  peakVars: number;
  totalVars: number;
  ms: number;
}

export async function runSelftestOnEspruino(o: EspruinoSelftestOptions): Promise<EspruinoSelftestResult> {
  const t0 = Date.now();
  const image = readFileSync(join(DIST, `firstlight-${o.image}.js`), "utf8");
  const runner = readFileSync(RUNNER, "utf8");
  const con = await openLoaded(o, image, runner);
  const lines: string[] = [];
  let pieces = 0;
  try {
    const loaded = await con.memory();
    let peak = loaded.usage;
    for (const suite of o.suites) {
      const statements = pieceStatements(suite, await loadVectors(suite, { full: false }), o.pieceChars);
      for (const s of statements) {
        const printed = await con.exec(s.replace(/;$/, ""), o.timeoutMs);
        if (printed.trim()) lines.push(printed.trim());
        pieces++;
        const m = await con.memory();
        if (m.usage > peak) peak = m.usage;
      }
    }
    lines.push((await con.exec(DONE_STATEMENT.replace(/;$/, ""))).trim());
    const stdout = lines.join("\n");
    const summary = parseSummary(stdout) ?? { passed: 0, failed: 1 };
    return { stdout, ...summary, pieces, loadedVars: loaded.usage, peakVars: peak, totalVars: loaded.total, ms: Date.now() - t0 };
  } finally {
    await con.kill();
  }
}

/** A console on `o.build` with the image and the runner loaded, from RAM or from Storage. */
async function openLoaded(o: EspruinoSelftestOptions, image: string, runner: string): Promise<EspruinoConsole> {
  if (o.load === "ram") {
    const dir = mkdtempSync(join(tmpdir(), "fl-espruino-"));
    // A pending timer keeps Espruino running (it exits once a command-line file leaves nothing to do).
    writeFileSync(join(dir, "boot.js"), image + "\n" + runner + "\nsetInterval(function () {}, 86400000);\n");
    return EspruinoConsole.open(o.build, { dir, file: join(dir, "boot.js"), removeDir: true });
  }
  const con = await EspruinoConsole.open(o.build);
  try {
    await con.writeStorage("fl.js", image);
    await con.writeStorage("flst.js", runner);
    await con.evalStorage("fl.js");
    await con.evalStorage("flst.js");
  } catch (e) {
    await con.kill();
    throw e;
  }
  return con;
}
