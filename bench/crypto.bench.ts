/**
 * Crypto benchmarks (run alone: `npx tsx build/build.ts --quiet && npx tsx bench/run.ts crypto`):
 *  1. X25519, SHA-256 and ChaCha20-Poly1305 on Node, Duktape and QuickJS: dist/firstlight-crypto.js
 *     side by side with tweetnacl and @stablelib, bundled the same way (bench/peers/bundle.ts) and
 *     run in the same engine process, interleaved, best of several rounds;
 *  2. instructions per operation on Duktape under callgrind (a script doing 1 + N operations minus
 *     the same script doing 1, divided by N): stable where times are not;
 *  3. image sizes and the QuickJS memory floor (bench/memory.ts).
 * Every implementation must produce the same bytes for the same inputs, or the bench fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { DIST } from "../build/paths.ts";
import { runDuk, dukAvailable } from "../test-sim/engines/duk.ts";
import { runQuickJs } from "../test-sim/engines/quickjs.ts";
import { bundlePeer, PEERS } from "./peers/bundle.ts";
import { enforcedFloor, heapProfile, limitAccounting } from "./memory.ts";
import type { BenchRow } from "./run.ts";

/** The message size of the SHA-256 and AEAD measures. */
const MSG = 16384;
/** Timing: best ms/op over ROUNDS rounds of at least BUDGET_MS each, per implementation. */
const ROUNDS = 3, BUDGET_MS = 250;
/** Operations per callgrind script (after one warm-up operation shared with the baseline). */
const CALLGRIND_N = 3;
const CRYPTO_IMAGE_TARGET = 16 * 1024;
const QUICKJS_TARGET = 64 * 1024;

/** Deterministic inputs and the three operations, in ES5, shared by the timing and callgrind scripts. */
const INPUTS = `
var IN = (function () {
  var k = new Uint8Array(32), u = new Uint8Array(32), key = new Uint8Array(32), nonce = new Uint8Array(12),
    aad = new Uint8Array(16), msg = new Uint8Array(${MSG}), i, x = 0x9e3779b9;
  for (i = 0; i < 32; i++) { k[i] = (i * 29 + 7) & 255; u[i] = (i * 53 + 1) & 255; key[i] = (255 - i * 3) & 255; }
  u[31] &= 127;
  for (i = 0; i < 12; i++) nonce[i] = i;
  for (i = 0; i < 16; i++) aad[i] = 100 + i;
  for (i = 0; i < msg.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; msg[i] = x >>> 24; }
  return { k: k, u: u, key: key, nonce: nonce, aad: aad, msg: msg };
})();
var OPS = {
  x25519: function (lib) { return lib.x25519(IN.k, IN.u); },
  sha256: function (lib) { return lib.sha256(IN.msg); },
  aead: function (lib) { return lib.aeadSeal(IN.key, IN.nonce, IN.msg, IN.aad); }
};
function hex(b) { var s = "", i; for (i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16); return s; }
`;

/** Our adapter: the same three operations as the peers' (bench/peers/*.ts). */
const OURS = `var OURS = { name: "ours", x25519: firstlight.crypto.x25519, sha256: firstlight.crypto.sha256, aeadSeal: firstlight.crypto.aeadSeal };`;

/** Each peer bundle assigns `peer`; keep each under its own name. */
const keepPeer = (name: string) => `var PEER_${name} = peer; peer = undefined;`;

const TIMING = `
(function () {
  var libs = [OURS${PEERS.map((p) => ", PEER_" + p).join("")}], ops = ["x25519", "sha256", "aead"], out = {}, digests = {};
  function once(op, lib) { var t0 = Date.now(), n = 0, t; do { OPS[op](lib); n++; t = Date.now() - t0; } while (t < ${BUDGET_MS}); return t / n; }
  for (var o = 0; o < ops.length; o++) {
    var op = ops[o], best = {};
    for (var l = 0; l < libs.length; l++) {
      if (!libs[l][op === "aead" ? "aeadSeal" : op]) continue;
      var d = hex(OPS[op](libs[l]));
      if (digests[op] === undefined) digests[op] = d;
      else if (digests[op] !== d) throw new Error(op + ": " + libs[l].name + " disagrees with " + libs[0].name);
      best[libs[l].name] = Infinity;
    }
    for (var r = 0; r < ${ROUNDS}; r++)
      for (l = 0; l < libs.length; l++)
        if (best[libs[l].name] !== undefined) best[libs[l].name] = Math.min(best[libs[l].name], once(op, libs[l]));
    out[op] = best;
  }
  print(JSON.stringify(out));
})();
`;

type Timings = Record<"x25519" | "sha256" | "aead", Record<string, number>>;

const MEASURES: { op: keyof Timings; name: string; mb: boolean }[] = [
  { op: "x25519", name: "X25519 scalar multiplication", mb: false },
  { op: "sha256", name: `SHA-256 of ${MSG / 1024} KiB`, mb: true },
  { op: "aead", name: `ChaCha20-Poly1305 seal of ${MSG / 1024} KiB`, mb: true },
];

function timingRows(engine: string, stdout: string): BenchRow[] {
  const t = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Timings;
  return MEASURES.map((m) => ({
    section: "speed (best of " + ROUNDS + " interleaved rounds, same process)",
    name: m.name,
    engine,
    value: t[m.op].ours,
    unit: "ms",
    peers: PEERS.filter((p) => t[m.op][p] !== undefined).map((p) => ({ name: p, value: t[m.op][p] })),
    note: m.mb ? `ours ${(MSG / 1048576 / (t[m.op].ours / 1000)).toFixed(3)} MB/s` : undefined,
  }));
}

/**
 * Runs scripts in the main context of a child `node`. Not test-sim's vm context: there every
 * global lookup (Math, Float64Array, module-level vars of a script) goes through the sandbox's
 * interceptors, ~50× slower, which penalises code that reads globals in its hot loop (tweetnacl's
 * gf() and Math.floor: 20 ms instead of 0.6 ms per X25519).
 */
function runNodeMain(files: string[], dir: string): string {
  const runner = join(dir, "node-runner.cjs");
  writeFileSync(runner, `const fs = require("fs"), vm = require("vm");
globalThis.print = function () { console.log(Array.prototype.join.call(arguments, " ")); };
for (const f of process.argv.slice(2)) vm.runInThisContext(fs.readFileSync(f, "utf8"), { filename: f });\n`);
  const r = spawnSync(process.execPath, [runner, ...files], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error("node: " + r.stderr);
  return r.stdout;
}

/** Instructions of `duk files…` under callgrind, or NaN when valgrind is missing. */
function callgrind(files: string[], dir: string): number {
  const r = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${join(dir, "callgrind.out")}`, "duk", ...files], { encoding: "utf8" });
  const m = /Collected\s*:\s*(\d+)/.exec(r.stderr ?? "");
  if (r.status !== 0 || !m) throw new Error(`callgrind duk failed (${r.status}): ${(r.stderr ?? "").slice(-500)}`);
  return Number(m[1]);
}

function valgrindAvailable(): boolean {
  return process.platform === "linux" && spawnSync("valgrind", ["--version"], { encoding: "utf8" }).status === 0;
}

/** Instructions per operation on duk: (1 + N operations) − (1 operation), over N. */
function instructionsPerOp(lib: string[], adapter: string, op: string, dir: string): number {
  const script = (n: number) => {
    const f = join(dir, `ops-${n}.js`);
    writeFileSync(f, `${INPUTS}\n${adapter}\nvar LIB = ${adapter.match(/var (\w+) =/)![1]}; OPS.${op}(LIB);\nfor (var i = 0; i < ${n}; i++) OPS.${op}(LIB);\n`);
    return f;
  };
  const base = callgrind([...lib, script(0)], dir);
  const full = callgrind([...lib, script(CALLGRIND_N)], dir);
  return (full - base) / CALLGRIND_N;
}

function instructionRows(ours: string, peerFiles: Record<string, string>, dir: string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const m of MEASURES) {
    const peers: { name: string; value: number }[] = [];
    for (const p of PEERS) {
      if (m.op !== "x25519" && p === "tweetnacl") continue; // tweetnacl has neither SHA-256 nor ChaCha20
      peers.push({ name: p, value: instructionsPerOp([peerFiles[p]], keepPeer(p).replace(/ peer = undefined;/, ""), m.op, dir) });
    }
    rows.push({
      section: `instructions per operation on Duktape (callgrind, (1+${CALLGRIND_N} ops − 1 op) / ${CALLGRIND_N})`,
      name: m.name,
      engine: "duktape",
      value: instructionsPerOp([ours], OURS, m.op, dir),
      unit: "instr",
      peers,
    });
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  const image = readFileSync(join(DIST, "firstlight-crypto.js"), "utf8");
  const peerCode: Record<string, string> = {};
  for (const p of PEERS) peerCode[p] = await bundlePeer(p);
  const dir = mkdtempSync(join(tmpdir(), "fl-crypto-bench-"));
  const rows: BenchRow[] = [];
  try {
    // The same sequence of scripts on every engine: image, peers, inputs, adapters, the probe.
    const scripts = [image, ...PEERS.flatMap((p) => [peerCode[p], keepPeer(p)]), INPUTS, OURS, TIMING];
    const files = scripts.map((s, i) => { const f = join(dir, `s${i}.js`); writeFileSync(f, s); return f; });
    rows.push(...timingRows("node", runNodeMain(files, dir)));
    if (dukAvailable()) {
      const r = await runDuk(files);
      if (r.code !== 0) throw new Error("duk: " + r.stderr + r.stdout);
      rows.push(...timingRows("duktape", r.stdout));
    }
    const q = await runQuickJs(scripts, { memoryLimit: 64 << 20 });
    if (q.error) throw new Error("quickjs: " + q.error);
    rows.push(...timingRows("quickjs", q.stdout));

    if (dukAvailable() && valgrindAvailable()) {
      const peerFiles: Record<string, string> = {};
      for (const p of PEERS) { peerFiles[p] = join(dir, `peer-${p}.js`); writeFileSync(peerFiles[p], peerCode[p]); }
      const oursFile = join(dir, "ours.js");
      writeFileSync(oursFile, image);
      const ins = instructionRows(oursFile, peerFiles, dir);
      rows.push(...ins);
      const x = ins[0], tn = x.peers!.find((p) => p.name === "tweetnacl")!, sl = x.peers!.find((p) => p.name === "stablelib")!;
      rows.push({ name: "X25519 instructions, ours/tweetnacl", engine: "duktape", value: x.value / tn.value, unit: "×", target: { goal: "X25519 on Duktape ≤ 0.67× tweetnacl-js instructions", met: x.value / tn.value <= 0.67 }, section: "ratios" });
      rows.push({ name: "X25519 instructions, ours/stablelib", engine: "duktape", value: x.value / sl.value, unit: "×", target: { goal: "X25519 on Duktape no slower than @stablelib/x25519 (instructions)", met: x.value <= sl.value }, section: "ratios" });
    } else {
      rows.push({ name: "instruction counts skipped (needs Linux, valgrind and duk)", engine: "duktape", value: NaN, unit: "" , section: "ratios" });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Image sizes, from the build's report, and the peers bundled the same way.
  const imagesFile = join(DIST, "images.json");
  const images = existsSync(imagesFile) ? (JSON.parse(readFileSync(imagesFile, "utf8")) as { name: string; bytes: number; gzip: number }[]) : [];
  for (const im of images) {
    const row: BenchRow = { section: "image sizes (esbuild, ES5, minified)", name: `dist/firstlight-${im.name}.js`, engine: "—", value: im.bytes, unit: "B", note: `${im.gzip} B gzip` };
    if (im.name === "crypto") row.target = { goal: `crypto core image ≤ ${CRYPTO_IMAGE_TARGET} B minified`, met: im.bytes <= CRYPTO_IMAGE_TARGET };
    rows.push(row);
  }
  const peerNotes: Record<string, string> = { tweetnacl: "whole nacl-fast.js (NaCl box, sign, hash…)", stablelib: "x25519 + sha256 + chacha20poly1305 only" };
  for (const p of PEERS) rows.push({ section: "image sizes (esbuild, ES5, minified)", name: `peer ${p}`, engine: "—", value: peerCode[p].length, unit: "B", note: `${gzipSync(peerCode[p]).length} B gzip; ${peerNotes[p] ?? ""}` });

  // QuickJS memory.
  const heap = await heapProfile(image);
  const floor = await enforcedFloor(image);
  const acct = await limitAccounting();
  const mem = "QuickJS memory (crypto image; X25519 key pairs + shared secret, SHA-256, HKDF, AEAD seal/open of 256 B)";
  rows.push({ section: mem, name: "enforced floor: smallest setMemoryLimit that passes", engine: "quickjs", value: floor, unit: "B", note: "counts 8 B per live block, not bytes (see below)", target: { goal: `runs inside a QuickJS memory limit ≤ ${QUICKJS_TARGET} B (as QuickJS enforces it)`, met: floor <= QUICKJS_TARGET } });
  rows.push({ section: mem, name: "heap bytes of a fresh context (not ours)", engine: "quickjs", value: heap.context, unit: "B" });
  rows.push({ section: mem, name: "heap bytes the loaded image adds", engine: "quickjs", value: heap.image, unit: "B", note: "bytecode, line tables, functions, atoms, tables" });
  rows.push({ section: mem, name: "heap bytes the workload needs above the image (peak)", engine: "quickjs", value: heap.working, unit: "B", note: `sampled at ${heap.samples} interrupt polls + the end`, target: { goal: `workload's working heap ≤ ${QUICKJS_TARGET} B`, met: heap.working <= QUICKJS_TARGET } });
  rows.push({ section: mem, name: "heap bytes in all: context + image + workload", engine: "quickjs", value: heap.context + heap.image + heap.working, unit: "B", target: { goal: `context + image + workload ≤ ${QUICKJS_TARGET} B of heap`, met: heap.context + heap.image + heap.working <= QUICKJS_TARGET } });
  rows.push({ section: mem, name: `heap a ${acct.limit} B limit admits (1 KB arrays until refused)`, engine: "quickjs", value: acct.heapReached, unit: "B", note: "why the enforced floor is not a byte figure" });
  return rows;
}

if (process.argv[1]?.endsWith("crypto.bench.ts")) {
  const { formatRows, formatTargets } = await import("./run.ts");
  const rows = await run();
  console.log(formatRows("crypto", rows) + "\n\n" + formatTargets(rows));
}
