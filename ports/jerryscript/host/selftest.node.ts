/**
 * The self-test on the JerryScript port's 64 KB heap. A self-test script does not parse on a small
 * heap, so the core image and the self-test runner (dist/selftest/runner.js) run as static
 * snapshots (their code stays out of the heap), and each suite's vectors arrive in the pieces the
 * build cuts (build/selftest.ts `cutVectors`, the engine-neutral protocol of
 * test-sim/selftest/runner.ts): one engine run per suite, one JSON file per piece,
 *
 *   script-run --heap-kb 64 --literals L --snapshot core --snapshot runner
 *              --json FL_PIECE piece0.json --eval "firstlightSelftest.piece(SUITE,0,N,FL_PIECE.data,FL_PIECE.base)"
 *              …  --eval "firstlightSelftest.done()"
 *
 * and the per-suite "N passed, M failed" lines are summed.
 *
 *   tsx ports/jerryscript/host/selftest.node.ts [--all] [--heap-kb 64] [--piece-chars 6000] [SUITE…]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CORE_IMAGE, cutVectors, listSuites, loadVectors, RUNNER } from "../../../build/selftest.ts";
import { ROOT } from "../../../build/paths.ts";
import { buildPort, buildSnapshotSet, type JerryPort } from "./build.node.ts";

export interface SuiteResult { suite: string; pieces: number; heapKb: number; passed: number; failed: number; heapPeak: number; failures: string[]; ms: number }

export interface JerrySelftestResult { passed: number; failed: number; suites: SuiteResult[]; maxHeapPeak: number; line: string }

function run(port: JerryPort, args: string[], timeoutMs: number): Promise<{ out: string; code: number | null }> {
  return new Promise((done) => {
    const child = spawn(port.scriptRun, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
    const t = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(t);
      done({ out, code });
    });
  });
}

export interface JerrySelftestOptions {
  suites?: string[];
  /** The loaders' full vector sets (as `build.ts --full-vectors`). */
  full?: boolean;
  /** Heap per suite in KB (default 64); `heapFor` overrides it for named suites. */
  heapKb?: number;
  heapFor?: { [suite: string]: number };
  /** Largest piece's JSON (default 6000 characters). */
  pieceChars?: number;
  /** Only the first pieces of each suite (a quick subset). */
  maxPieces?: number;
  port?: JerryPort;
  onSuite?: (r: SuiteResult) => void;
}

export async function runJerrySelftest(o: JerrySelftestOptions = {}): Promise<JerrySelftestResult> {
  const port = o.port ?? buildPort();
  const chars = o.pieceChars ?? 6000;
  const suites = o.suites?.length ? o.suites : listSuites();
  const set = buildSnapshotSet(port, "selftest", [
    { name: "core", source: readFileSync(CORE_IMAGE, "utf8") },
    { name: "runner", source: readFileSync(RUNNER, "utf8") },
  ]);
  const dir = mkdtempSync(join(tmpdir(), "firstlight-jerry-selftest-"));
  const results: SuiteResult[] = [];
  try {
    for (const suite of suites) {
      const heapKb = o.heapFor?.[suite] ?? o.heapKb ?? 64;
      const v = await loadVectors(suite, { full: !!o.full });
      // A subset feeds the first pieces but names the real count, so whole-set checks (t.last) do not run on it.
      const all = cutVectors(v.data, chars, v.cuttable), pieces = all.slice(0, o.maxPieces ?? Infinity);
      const args = ["--heap-kb", String(heapKb), "--literals", set.literals, "--snapshot", set.snapshots[0], "--snapshot", set.snapshots[1]];
      pieces.forEach((p, k) => {
        const file = join(dir, `${suite}-${k}.json`);
        writeFileSync(file, JSON.stringify({ data: p.data, base: p.base }));
        // The piece is dropped after its call: the next one is parsed while nothing holds this one.
        args.push("--json", "FL_PIECE", file, "--eval", `firstlightSelftest.piece(${JSON.stringify(suite)},${k},${all.length},FL_PIECE.data,FL_PIECE.base);FL_PIECE=null`);
      });
      args.push("--eval", "firstlightSelftest.done()");
      const t0 = performance.now();
      const r = await run(port, args, 3_600_000);
      const lines = r.out.split("\n");
      const total = lines.map((l) => /^(\d+) passed, (\d+) failed$/.exec(l)).filter(Boolean).pop();
      const heap = lines.map((l) => /^heap (\d+) (\d+) (\d+)$/.exec(l)).filter(Boolean).pop();
      const ok = r.code === 0 && !!total;
      const res: SuiteResult = {
        suite, pieces: pieces.length, heapKb,
        passed: total ? Number(total[1]) : 0,
        failed: (total ? Number(total[2]) : 0) + (ok ? 0 : 1),
        heapPeak: heap ? Number(heap[2]) : 0,
        failures: ok ? lines.filter((l) => l.startsWith("FAIL ")) : [`${suite}: exit ${r.code}: ${r.out.slice(-1500)}`],
        ms: performance.now() - t0,
      };
      results.push(res);
      o.onSuite?.(res);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const passed = results.reduce((a, s) => a + s.passed, 0), failed = results.reduce((a, s) => a + s.failed, 0);
  return { passed, failed, suites: results, maxHeapPeak: Math.max(0, ...results.map((s) => s.heapPeak)), line: `${passed} passed, ${failed} failed` };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, "ports/jerryscript/host/selftest.node.ts")) {
  const argv = process.argv.slice(2);
  const num = (flag: string) => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : undefined);
  const suites = argv.filter((a, i) => !a.startsWith("--") && !["--heap-kb", "--piece-chars"].includes(argv[i - 1]));
  runJerrySelftest({
    suites, full: argv.includes("--all"), heapKb: num("--heap-kb"), pieceChars: num("--piece-chars"),
    onSuite: (s) => console.log(`suite ${s.suite}: ${s.passed} passed, ${s.failed} failed in ${s.pieces} pieces on ${s.heapKb} KB (heap peak ${s.heapPeak} B), ${Math.round(s.ms)} ms${s.failures.length ? "\n  " + s.failures.slice(0, 20).join("\n  ") : ""}`),
  }).then((r) => {
    console.log(r.line);
    process.exit(r.failed ? 1 : 0);
  }, (e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
