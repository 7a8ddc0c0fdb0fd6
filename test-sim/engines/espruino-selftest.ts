/**
 * The project's self-test on a real Espruino build, the vectors fed over the console one piece at a
 * time (build/selftest.ts cuts them), so that even the 2 500-variable build never holds more than
 * the image, the runner and one piece:
 *
 *   load "ram"      the image as the command-line file, each suite's runner eval'd from a string
 *                   (code in RAM: measures speed)
 *   load "storage"  the image and each suite's runner written to Storage in 1 KB pieces and run
 *                   from flash, as a board runs saved code (about 10x slower on the Linux build:
 *                   measures memory)
 *
 * After each piece the feeder reads `process.memory().usage`; the result carries the peak.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST } from "../../build/paths.ts";
import { DONE_STATEMENT, SUITE_IMAGES, loadVectors, pieceStatements, suiteImage, suiteRunner, type LoaderOptions } from "../../build/selftest.ts";
import assert from "node:assert/strict";
import { EspruinoConsole, type EspruinoBuild } from "./espruino.ts";
import { parseSummary } from "./summary.ts";

export interface EspruinoSelftestOptions {
  build: EspruinoBuild;
  suites: string[];
  /**
   * Which image: `core` (every suite), `crypto` (the crypto suites; fits the 2 500-variable build)
   * or `suite`: each suite in a fresh process with its own image (build/selftest.ts, SUITE_IMAGES;
   * the crypto image for the crypto suites).
   */
  image: "core" | "crypto" | "suite";
  load: "ram" | "storage";
  /** Longest piece statement sent at once (an item longer than this travels alone). */
  pieceChars: number;
  /**
   * What the loaders give (build/selftest.ts): a sample, long messages in parts, HKDF outputs
   * block by block, fewer iterations; default the whole set as the built files carry it.
   */
  vectors?: LoaderOptions;
  /** Per piece. */
  timeoutMs?: number;
}

export interface EspruinoSelftestResult {
  /** What the runner printed: suite lines, FAIL lines, and the closing `N passed, M failed`. */
  stdout: string;
  passed: number;
  failed: number;
  pieces: number;
  /** Variables in use: after loading the image (the most over the images), and the most after any piece. */
  loadedVars: number;
  peakVars: number;
  totalVars: number;
  ms: number;
}

export async function runSelftestOnEspruino(o: EspruinoSelftestOptions): Promise<EspruinoSelftestResult> {
  const t0 = Date.now();
  const acc: Tally = { lines: [], pieces: 0, passed: 0, failed: 0, loadedVars: 0, peakVars: 0, totalVars: 0 };
  if (o.image === "suite") {
    // Each suite in a fresh process with its own image: the crypto core and what the suite tests.
    for (const suite of o.suites) await runSuites(o, SUITE_IMAGES[suite] ? suiteImage(suite) : join(DIST, "firstlight-crypto.js"), [suite], acc);
  } else await runSuites(o, join(DIST, `firstlight-${o.image}.js`), o.suites, acc);
  acc.lines.push(`${acc.passed} passed, ${acc.failed} failed`);
  const { lines, ...figures } = acc;
  return { stdout: lines.join("\n"), ...figures, ms: Date.now() - t0 };
}

type Tally = Omit<EspruinoSelftestResult, "stdout" | "ms"> & { lines: string[] };

/** One console with `imageFile` loaded runs `suites` one after the other; adds to `acc`. */
async function runSuites(o: EspruinoSelftestOptions, imageFile: string, suites: string[], acc: Tally): Promise<void> {
  const con = await openWithImage(o, imageFile);
  try {
    const loaded = await con.memory();
    acc.loadedVars = Math.max(acc.loadedVars, loaded.usage);
    acc.peakVars = Math.max(acc.peakVars, loaded.usage);
    acc.totalVars = loaded.total;
    for (const suite of suites) {
      // One suite's runner at a time: the 2 500-variable build cannot hold all of them.
      const runner = readFileSync(suiteRunner(suite), "utf8");
      if (o.load === "ram") await con.exec(`eval(${JSON.stringify(runner)})`);
      else {
        await con.writeStorage("flst.js", runner);
        await con.evalStorage("flst.js");
      }
      const statements = pieceStatements(suite, await loadVectors(suite, o.vectors ?? { full: false }), o.pieceChars);
      for (const s of statements) {
        const printed = await con.exec(s.replace(/;$/, ""), o.timeoutMs);
        if (printed.trim()) acc.lines.push(printed.trim());
        acc.pieces++;
        acc.peakVars = Math.max(acc.peakVars, (await con.memory()).usage);
      }
      // Each suite's runner starts its own count: this is the suite's.
      const summary = parseSummary((await con.exec(DONE_STATEMENT.replace(/;$/, ""))).trim());
      if (!summary) throw new Error(`${o.build}: no summary after suite ${suite}`);
      acc.passed += summary.passed;
      acc.failed += summary.failed;
    }
  } finally {
    await con.kill();
  }
}

/** A console on `o.build` with the image loaded, from RAM (the command-line file) or from Storage. */
async function openWithImage(o: EspruinoSelftestOptions, imageFile: string): Promise<EspruinoConsole> {
  const image = readFileSync(imageFile, "utf8");
  if (o.load === "ram") {
    const dir = mkdtempSync(join(tmpdir(), "fl-espruino-"));
    // A pending timer keeps Espruino running (it exits once a command-line file leaves nothing to do).
    writeFileSync(join(dir, "boot.js"), image + "\nsetInterval(function () {}, 86400000);\n");
    return EspruinoConsole.open(o.build, { dir, file: join(dir, "boot.js"), removeDir: true });
  }
  const con = await EspruinoConsole.open(o.build);
  try {
    await con.writeStorage("fl.js", image);
    await con.evalStorage("fl.js");
  } catch (e) {
    await con.kill();
    throw e;
  }
  return con;
}

/** Variables each build has (process.memory().total). */
const TOTAL_VARS: { [b in EspruinoBuild]?: number } = { "espruino-v12000": 12_000, "espruino-v2500": 2500 };

/**
 * Runs `o` and asserts what a test wants of it: no check failed, every suite printed its
 * `suite NAME: P passed, 0 failed` line, the closing `N passed, 0 failed`, and on a fixed-memory
 * build the variables stayed under its total. Logs the figures (checks, pieces, variables, time).
 */
export async function assertSelftest(o: EspruinoSelftestOptions, pieceTimeoutMs: number): Promise<EspruinoSelftestResult> {
  const r = await runSelftestOnEspruino({ ...o, timeoutMs: pieceTimeoutMs });
  console.log(`${o.build}: ${r.passed} passed, ${r.failed} failed, ${r.pieces} pieces, variables ${r.loadedVars} loaded, ${r.peakVars} peak of ${r.totalVars}, ${(r.ms / 1000).toFixed(0)} s`);
  assert.equal(r.failed, 0, r.stdout.slice(-4000));
  assert.ok(r.passed > 0);
  assert.match(r.stdout, /^\d+ passed, 0 failed$/m);
  for (const s of o.suites) assert.match(r.stdout, new RegExp(`^suite ${s}: \\d+ passed, 0 failed`, "m"));
  const total = TOTAL_VARS[o.build];
  if (total) assert.ok(r.peakVars < total && r.totalVars === total, `variables: ${r.peakVars} of ${r.totalVars}`);
  return r;
}
