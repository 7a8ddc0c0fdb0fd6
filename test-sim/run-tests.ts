/**
 * The test command: every *.test.ts under test-sim/ (and the host tools), run by node's test runner
 * two files at a time (CI has two cores). `--soak` adds the long *.soak.ts runs.
 *
 *   tsx test-sim/run-tests.ts [--soak] [filter…]
 */
import { readdirSync, statSync } from "node:fs";
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
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], { cwd: ROOT, stdio: "inherit" });
process.exit(r.status ?? 1);
