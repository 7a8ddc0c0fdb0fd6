/**
 * The test command: every *.test.ts under test-sim/ (and the host tools), run by node's test runner
 * two files at a time (CI has two cores). `--soak` adds the long *.soak.ts runs. Output: a line per
 * file as it ends, then a summary and node's closing `# pass N` / `# fail N` lines
 * (test-sim/compact-reporter.mjs); the full TAP is in .test-results/tap.txt.
 *
 *   tsx test-sim/run-tests.ts [--soak] [filter…]
 */
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { ROOT } from "../build/paths.ts";

const args = process.argv.slice(2);
const soak = args.includes("--soak");
const filters = args.filter((a) => !a.startsWith("--"));

function find(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith(".test.ts") || (soak && name.endsWith(".soak.ts"))) out.push(p);
  }
  return out;
}

const files = ["test-sim", "commissioner", "registrar"]
  .map((d) => join(ROOT, d))
  .filter((d) => { try { return statSync(d).isDirectory(); } catch { return false; } })
  .flatMap((d) => find(d, []))
  .map((f) => relative(ROOT, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
// A line per file and a summary on stdout (test-sim/compact-reporter.mjs), the full TAP in a file.
mkdirSync(join(ROOT, ".test-results"), { recursive: true });
console.log(`${files.length} test files, two at a time; a line as each ends`);
const reporters = [
  "--test-reporter=./test-sim/compact-reporter.mjs", "--test-reporter-destination=stdout",
  "--test-reporter=tap", `--test-reporter-destination=${join(ROOT, ".test-results/tap.txt")}`,
];
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...reporters, ...files], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, FIRSTLIGHT_TEST_FILES: String(files.length) },
});
process.exit(r.status ?? 1);
