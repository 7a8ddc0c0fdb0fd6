/**
 * The self-test on the JerryScript port's 64 KB heap, in pieces. A self-test script with a suite's
 * vectors inlined as one JSON literal does not even parse on a small heap, so here the core image
 * and the suite runner are static snapshots (their code stays out of the heap) and the vectors
 * arrive as JSON files of at most `chunkBytes`, one piece per engine run:
 *
 *   script-run --heap-kb 64 --literals L  --snapshot core  --json FIRSTLIGHT_VECTORS piece.json  --snapshot runner
 *
 * A piece keeps the suite's shape: every top-level array of vectors is cut into slices, and a piece
 * carries one slice with every other array emptied (nested arrays, such as a Monte Carlo chain's
 * checkpoints, go whole into the piece that carries nothing else) (scalars stay, so a suite's fixed checks, such as its
 * misuse errors, run once per piece and are counted each time). The runner prints
 * "N passed, M failed" per piece; the sum is the line this module ends with.
 *
 *   tsx ports/jerryscript/host/selftest.node.ts [--all] [--heap-kb 64] [--chunk-bytes 6000] [SUITE…]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundleEs5 } from "../../../build/build.ts";
import { CORE_IMAGE, listSuites, loadVectors } from "../../../build/selftest.ts";
import { ES5_OUT, ROOT } from "../../../build/paths.ts";
import { buildPort, buildSnapshotSet, type JerryPort } from "./build.node.ts";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A copy with every array (at any depth, outside arrays) emptied. */
function emptied(v: Json): Json {
  if (Array.isArray(v)) return [];
  if (v && typeof v === "object") {
    const o: { [k: string]: Json } = {};
    for (const k of Object.keys(v)) o[k] = emptied(v[k]);
    return o;
  }
  return v;
}

/**
 * The arrays a suite's vectors may be cut along: the data itself when it is an array, else its
 * top-level arrays. Deeper arrays stay whole (a Monte Carlo chain's checkpoints depend on each other).
 */
function arrayPaths(v: Json): string[][] {
  if (Array.isArray(v)) return [[]];
  if (v && typeof v === "object") return Object.keys(v).filter((k) => Array.isArray((v as { [k: string]: Json })[k])).map((k) => [k]);
  return [];
}

function setAt(root: Json, path: string[], value: Json): Json {
  if (path.length === 0) return value;
  let o = root as { [k: string]: Json };
  for (const k of path.slice(0, -1)) o = o[k] as { [k: string]: Json };
  o[path[path.length - 1]] = value;
  return root;
}

function getAt(root: Json, path: string[]): Json {
  let o = root;
  for (const k of path) o = (o as { [k: string]: Json })[k];
  return o;
}

/**
 * The suite's vectors in pieces of at most about `budget` bytes of JSON (a single bigger vector is a
 * piece alone): one piece per slice of each top-level array, with the other top-level arrays
 * emptied. What is not a top-level array (objects, nested arrays) rides along whole in every piece
 * when it is small (half the budget at most); when it is bigger (a Monte Carlo chain), its
 * arrays are emptied in the slices and it gets one piece of its own.
 */
export function splitVectors(data: Json, budget: number): Json[] {
  if (JSON.stringify(data).length <= budget) return [data];
  const paths = arrayPaths(data);
  let rest = JSON.parse(JSON.stringify(data)) as Json;
  for (const path of paths) rest = setAt(rest, path, []);
  const restAlong = JSON.stringify(rest).length <= budget / 2;
  const base = restAlong ? JSON.stringify(rest) : JSON.stringify(emptied(data));
  const pieces: Json[] = [];
  for (const path of paths) {
    const items = getAt(data, path) as Json[];
    let group: Json[] = [], size = base.length;
    const flush = () => {
      if (group.length) pieces.push(setAt(JSON.parse(base) as Json, path, group));
      group = [];
      size = base.length;
    };
    for (const item of items) {
      const n = JSON.stringify(item).length + 1;
      if (group.length && size + n > budget) flush();
      group.push(item);
      size += n;
    }
    flush();
  }
  if (!restAlong && JSON.stringify(rest) !== base) pieces.push(rest);
  return pieces;
}

async function bundleRunner(suites: string[]): Promise<string> {
  const dir = join(ES5_OUT, "test-sim/selftest");
  const lines = [`import { runAll } from "./runner.js";`];
  suites.forEach((s, i) => lines.push(`import * as s${i} from "./suites/${s}.js";`));
  lines.push(`runAll({ ${suites.map((s, i) => JSON.stringify(s) + ": s" + i + ".run").join(", ")} });`);
  const entry = join(dir, "_jerry_entry.js");
  writeFileSync(entry, lines.join("\n") + "\n");
  return bundleEs5(entry, false, true);
}

export interface PieceResult { suite: string; piece: number; passed: number; failed: number; heapPeak: number; failures: string[]; ms: number }

export interface JerrySelftestResult { passed: number; failed: number; pieces: PieceResult[]; heapKb: number; maxHeapPeak: number; line: string }

function runPiece(port: JerryPort, args: string[], timeoutMs: number): Promise<{ out: string; code: number | null }> {
  return new Promise((resolvePiece) => {
    const child = spawn(port.scriptRun, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
    const t = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(t);
      resolvePiece({ out, code });
    });
  });
}

export async function runJerrySelftest(o: { suites?: string[]; full?: boolean; heapKb?: number; chunkBytes?: number; maxPiecesPerSuite?: number; port?: JerryPort; onPiece?: (p: PieceResult) => void } = {}): Promise<JerrySelftestResult> {
  const port = o.port ?? buildPort();
  const heapKb = o.heapKb ?? 64, budget = o.chunkBytes ?? 6000;
  const all = listSuites();
  const suites = o.suites?.length ? o.suites : all;
  const set = buildSnapshotSet(port, "selftest", [
    { name: "core", source: readFileSync(CORE_IMAGE, "utf8") },
    { name: "runner", source: await bundleRunner(all) },
  ]);
  const dir = mkdtempSync(join(tmpdir(), "firstlight-jerry-selftest-"));
  const pieces: PieceResult[] = [];
  try {
    for (const suite of suites) {
      const data = (await loadVectors(suite, { full: !!o.full })).data as Json;
      const parts = splitVectors(data, budget).slice(0, o.maxPiecesPerSuite ?? Infinity);
      for (let i = 0; i < parts.length; i++) {
        const file = join(dir, `${suite}-${i}.json`);
        writeFileSync(file, JSON.stringify({ [suite]: parts[i] }));
        const t0 = performance.now();
        const r = await runPiece(port, ["--heap-kb", String(heapKb), "--literals", set.literals, "--snapshot", set.snapshots[0],
          "--json", "FIRSTLIGHT_VECTORS", file, "--snapshot", set.snapshots[1]], 600_000);
        const lines = r.out.split("\n");
        const total = lines.map((l) => /^(\d+) passed, (\d+) failed$/.exec(l)).filter(Boolean).pop();
        const heap = lines.map((l) => /^heap (\d+) (\d+) (\d+)$/.exec(l)).filter(Boolean).pop();
        const p: PieceResult = {
          suite, piece: i,
          passed: total ? Number(total[1]) : 0,
          failed: total ? Number(total[2]) : 1,
          heapPeak: heap ? Number(heap[2]) : 0,
          failures: total && r.code === 0 ? lines.filter((l) => l.startsWith("FAIL ")) : [`${suite} piece ${i}: exit ${r.code}: ${r.out.slice(-1500)}`],
          ms: performance.now() - t0,
        };
        if (r.code !== 0 && total) p.failed += 1;
        pieces.push(p);
        o.onPiece?.(p);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const passed = pieces.reduce((a, p) => a + p.passed, 0), failed = pieces.reduce((a, p) => a + p.failed, 0);
  return { passed, failed, pieces, heapKb, maxHeapPeak: Math.max(0, ...pieces.map((p) => p.heapPeak)), line: `${passed} passed, ${failed} failed` };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, "ports/jerryscript/host/selftest.node.ts")) {
  const argv = process.argv.slice(2);
  const num = (flag: string) => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : undefined);
  const suites = argv.filter((a, i) => !a.startsWith("--") && !["--heap-kb", "--chunk-bytes"].includes(argv[i - 1]));
  runJerrySelftest({
    suites, full: argv.includes("--all"), heapKb: num("--heap-kb"), chunkBytes: num("--chunk-bytes"),
    onPiece: (p) => console.log(`suite ${p.suite} piece ${p.piece}: ${p.passed} passed, ${p.failed} failed, heap peak ${p.heapPeak} B, ${Math.round(p.ms)} ms${p.failures.length ? "\n  " + p.failures.join("\n  ") : ""}`),
  }).then((r) => {
    console.log(`JerryScript, ${r.heapKb} KB heap, ${r.pieces.length} pieces (largest heap peak ${r.maxHeapPeak} B)`);
    console.log(r.line);
    process.exit(r.failed ? 1 : 0);
  }, (e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
