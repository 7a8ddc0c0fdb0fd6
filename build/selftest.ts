/**
 * Builds the self-test scripts: the core image, the vectors as a JSON literal, and the ES5 suite
 * runner, concatenated into one script that any engine with `print` or `console.log` evaluates.
 *
 *   dist/firstlight-selftest.js     every suite
 *   dist/selftest/SUITE.js          one suite each (lets the test runner spread engines over cores)
 *
 * Suites: test-sim/selftest/suites/NAME.ts (ES5, runs on the device engines) with a host-side
 * loader test-sim/selftest/loaders/NAME.ts that turns ../shared/vectors files into plain data.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleEs5 } from "./build.ts";
import { DIST, ES5_OUT, ROOT } from "./paths.ts";

export interface LoaderOptions { full: boolean }
export const CORE_IMAGE = join(DIST, "firstlight-core.js");

export function listSuites(): string[] {
  return readdirSync(join(ROOT, "test-sim/selftest/suites")).filter((f) => f.endsWith(".ts")).map((f) => basename(f, ".ts")).sort();
}

export async function loadVectors(suite: string, opts: LoaderOptions): Promise<unknown> {
  const mod = await import(pathToFileURL(join(ROOT, "test-sim/selftest/loaders", suite + ".ts")).href);
  return mod.default(opts);
}

async function bundleRunner(suites: string[]): Promise<string> {
  const dir = join(ES5_OUT, "test-sim/selftest");
  const lines = [`import { runAll } from "./runner.js";`];
  suites.forEach((s, i) => lines.push(`import * as s${i} from "./suites/${s}.js";`));
  lines.push(`runAll({ ${suites.map((s, i) => JSON.stringify(s) + ": s" + i + ".run").join(", ")} });`);
  const entry = join(dir, "_entry.js");
  writeFileSync(entry, lines.join("\n") + "\n");
  return bundleEs5(entry, false, true);
}

/** One self-test script: image, then `var FIRSTLIGHT_VECTORS = {...}`, then the runner. */
export function composeSelftest(image: string, vectors: Record<string, unknown>, runner: string): string {
  return image + "\nvar FIRSTLIGHT_VECTORS = " + JSON.stringify(vectors) + ";\n" + runner;
}

export async function buildSelftests(opts: LoaderOptions): Promise<{ file: string; suites: string[] }> {
  const suites = listSuites();
  const image = readFileSync(CORE_IMAGE, "utf8");
  const runner = await bundleRunner(suites);
  const all: Record<string, unknown> = {};
  mkdirSync(join(DIST, "selftest"), { recursive: true });
  for (const s of suites) {
    all[s] = await loadVectors(s, opts);
    writeFileSync(join(DIST, "selftest", s + ".js"), composeSelftest(image, { [s]: all[s] }, runner));
  }
  const file = join(DIST, "firstlight-selftest.js");
  writeFileSync(file, composeSelftest(image, all, runner));
  return { file, suites };
}
