/**
 * Runs the built self-test scripts (dist/selftest/SUITE.js) on one engine and turns each suite
 * into a node:test case: the image, not the TypeScript sources, is what is proven here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, basename } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { DIST } from "../../build/paths.ts";
import { parseSummary } from "./summary.ts";

/** The self-contained suite files of dist/selftest (not the runner halves or the per-suite images they load). */
export function selftestFiles(): string[] {
  return readdirSync(join(DIST, "selftest")).filter((f) => f.endsWith(".js") && !f.startsWith("runner") && !f.startsWith("image-")).sort().map((f) => join(DIST, "selftest", f));
}

export function defineSelftests(engine: string, run: (file: string, code: string) => Promise<{ stdout: string; error?: string }>): void {
  for (const file of selftestFiles()) {
    const suite = basename(file, ".js");
    test(`${engine}: ${suite} vectors on the built image`, { timeout: 900_000 }, async () => {
      const r = await run(file, readFileSync(file, "utf8"));
      const summary = parseSummary(r.stdout);
      assert.ok(summary, `no summary line from ${engine}; error: ${r.error ?? ""}\n${r.stdout.slice(-2000)}`);
      assert.equal(summary.failed, 0, r.stdout.slice(-4000));
      assert.ok(summary.passed > 0, "ran no checks");
    });
  }
}
