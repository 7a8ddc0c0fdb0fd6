/**
 * Runs the built self-test of every suite on every engine and prints one table:
 * suite × engine, with the checks passed and the time taken. Exit code 1 if anything failed.
 *
 *   tsx test-sim/selftest-report.ts [--engines node,duk,quickjs]
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { runDuk, dukAvailable } from "./engines/duk.ts";
import { installHint } from "./engines/tools.ts";
import { runQuickJs } from "./engines/quickjs.ts";
import { runNodeScripts } from "./engines/node.ts";
import { parseSummary } from "./engines/summary.ts";
import { selftestFiles } from "./engines/selftest.ts";

type Engine = "node" | "duk" | "quickjs";
const arg = process.argv.indexOf("--engines");
const engines = (arg > 0 ? process.argv[arg + 1].split(",") : ["node", "duk", "quickjs"]) as Engine[];

async function runOn(engine: Engine, file: string): Promise<{ passed: number; failed: number; ms: number; note?: string }> {
  const code = readFileSync(file, "utf8");
  const t0 = Date.now();
  let stdout = "", note: string | undefined;
  if (engine === "duk") {
    const r = await runDuk([file]);
    stdout = r.stdout;
    if (r.code !== 0) note = `exit ${r.code}`;
  } else if (engine === "quickjs") {
    const r = await runQuickJs([code], { memoryLimit: 256 << 20 });
    stdout = r.stdout;
    note = r.error;
  } else {
    try { stdout = runNodeScripts([code]).stdout; } catch (e) { note = String(e); }
  }
  const s = parseSummary(stdout) ?? { passed: 0, failed: 1 };
  return { ...s, ms: Date.now() - t0, note };
}

export async function selftestReport(): Promise<boolean> {
  if (engines.includes("duk") && !dukAvailable()) {
    console.error(installHint("duk"));
    return false;
  }
  const files = selftestFiles();
  const width = Math.max(...files.map((f) => basename(f, ".js").length), 5);
  const W = 24;
  const cell = (text: string) => "  " + text.padStart(W);
  console.log(`${files.length} suites × ${engines.length} engines; each cell fills in as its run ends (checks passed, seconds)`);
  console.log(`${"suite".padEnd(width)}${engines.map((e) => cell(e)).join("")}`);
  let ok = true;
  const t0 = Date.now();
  const totals: Record<string, { passed: number; failed: number; ms: number }> = {};
  for (const [i, file] of files.entries()) {
    process.stdout.write(`${basename(file, ".js").padEnd(width)}`);
    for (const engine of engines) {
      const r = await runOn(engine, file);
      totals[engine] ??= { passed: 0, failed: 0, ms: 0 };
      totals[engine].passed += r.passed;
      totals[engine].failed += r.failed;
      totals[engine].ms += r.ms;
      if (r.failed || r.note) ok = false;
      const mark = r.failed || r.note ? "FAIL" : "ok";
      process.stdout.write(cell(`${mark} ${r.passed} in ${(r.ms / 1000).toFixed(1)} s`));
    }
    process.stdout.write(`   [${i + 1}/${files.length}, ${((Date.now() - t0) / 1000).toFixed(0)} s]\n`);
  }
  console.log(`${"total".padEnd(width)}${engines.map((e) => cell(`${totals[e].passed} passed, ${totals[e].failed} failed`)).join("")}`);
  console.log(`${"time".padEnd(width)}${engines.map((e) => cell(`${(totals[e].ms / 1000).toFixed(1)} s`)).join("")}   [all: ${((Date.now() - t0) / 1000).toFixed(1)} s]`);
  return ok;
}

if (process.argv[1]?.endsWith("selftest-report.ts")) {
  selftestReport().then((ok) => process.exit(ok ? 0 : 1));
}
