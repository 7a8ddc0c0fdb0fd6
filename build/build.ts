/**
 * Builds every firmware image: TypeScript → ES5 modules (tsc) → one minified IIFE per image
 * (esbuild) → the ES5 compatibility gate → dist/. Also builds the self-test scripts that carry
 * the third-party vectors to engines without file access.
 *
 *   tsx build/build.ts [--quiet] [--full-vectors]
 *
 * Images: every firmware/images/NAME.ts becomes dist/firstlight-NAME.js, which assigns the
 * global object `firstlight`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve, basename, relative } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { checkDeviceModule, checkEs5Image } from "./compat-gate.ts";
import { renameEspruinoReserved } from "./espruino-names.ts";
import { buildSelftests } from "./selftest.ts";
import { ROOT, ES5_OUT, DIST } from "./paths.ts";
import { listBoards, loadBoard } from "./boards.ts";
import { checkBudgets } from "./budgets.ts";

const quiet = process.argv.includes("--quiet");
const fullVectors = process.argv.includes("--full-vectors");
const log = (s: string) => { if (!quiet) console.log(s); };

export function compileEs5(): void {
  rmSync(ES5_OUT, { recursive: true, force: true });
  const tsc = resolve(ROOT, "node_modules/typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.json")], { stdio: "pipe" });
  } catch (e) {
    const out = (e as { stdout?: Buffer }).stdout?.toString() ?? "";
    throw new Error("tsc failed:\n" + out);
  }
}

/**
 * Bundles one ES5 module graph into a minified IIFE. Image entries assign the global `firstlight`,
 * which the banner declares so the assignment also works in strict mode.
 */
export async function bundleEs5(entry: string, declareGlobal: boolean, minify = true): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    banner: declareGlobal ? { js: "var firstlight;" } : undefined,
    target: "es5",
    minify,
    legalComments: "none",
    charset: "ascii",
    write: false,
    logLevel: "silent",
  });
  // esbuild may name a local `of`, which Espruino's lexer reserves.
  return renameEspruinoReserved(result.outputFiles[0].text);
}

/** Every compiled module that runs on a device engine (firmware, HAL drivers, the self-test suites). */
export function listDeviceModules(): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    let entries: string[];
    try { entries = readdirSync(dir); } catch { return; }
    for (const e of entries.sort()) {
      const p = join(dir, e);
      if (e.endsWith(".js")) out.push(p);
      else if (!e.includes(".")) visit(p);
    }
  };
  for (const d of ["firmware", "hal", "test-sim/selftest"]) visit(join(ES5_OUT, d));
  return out;
}

/** The source-level gate (bare subarray, wide fromCharCode) on every device module. */
export function checkDeviceModules(): string[] {
  const problems: string[] = [];
  for (const f of listDeviceModules()) {
    if (basename(f) === "_entry.js") continue;
    problems.push(...checkDeviceModule(readFileSync(f, "utf8"), relative(ES5_OUT, f).replace(/\\/g, "/")).problems);
  }
  return problems;
}

export interface ImageReport { name: string; file: string; bytes: number; gzip: number }

export async function buildImages(): Promise<ImageReport[]> {
  mkdirSync(DIST, { recursive: true });
  const reports: ImageReport[] = [];
  const problems: string[] = checkDeviceModules();
  for (const f of readdirSync(join(ROOT, "firmware/images")).filter((f) => f.endsWith(".ts")).sort()) {
    const name = basename(f, ".ts");
    const code = await bundleEs5(join(ES5_OUT, "firmware/images", name + ".js"), true);
    const gate = checkEs5Image(code, `firstlight-${name}.js`);
    problems.push(...gate.problems);
    const file = join(DIST, `firstlight-${name}.js`);
    writeFileSync(file, code);
    reports.push({ name, file, bytes: Buffer.byteLength(code), gzip: gzipSync(code).length });
  }
  if (problems.length) throw new Error("ES5 compatibility gate failed:\n  " + problems.join("\n  "));
  return reports;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  compileEs5();
  const reports = await buildImages();
  for (const r of reports) log(`image ${r.name.padEnd(10)} ${String(r.bytes).padStart(7)} B minified, ${String(r.gzip).padStart(6)} B gzip  ${r.file}`);
  const selftests = await buildSelftests({ full: fullVectors });
  log(`selftest: ${selftests.suites.length} suites → ${selftests.file}`);
  writeFileSync(join(DIST, "images.json"), JSON.stringify(reports, null, 2) + "\n");
  for (const b of checkBudgets(reports, listBoards().map((n) => loadBoard(n)))) log(b.line);
  log(`build done in ${Date.now() - t0} ms`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, "build/build.ts")) {
  main().catch((e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}

