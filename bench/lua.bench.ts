/**
 * The Lua image (issue 14 item 4): its size; the Lua heap (`collectgarbage("count")`) with the
 * image loaded and at its peak while the crypto suites run; X25519 (one scalar multiplication) in
 * ms and in x86-64 instructions (callgrind) on lua5.1 (LuaBitOp) and lua5.3, beside the JavaScript
 * core image on Duktape, all measured in the same run.
 *
 * Peer: philanc's plc `ec25519` (pure Lua, a port of TweetNaCl's; MIT, vendored as a bench-only
 * fixture in bench/peers/plc/ with its LICENSE, never device code). It needs Lua 5.3's 64-bit
 * integers, so it cannot run on NodeMCU (nor on lua5.1); ours stays inside what NodeMCU's 32-bit
 * build computes exactly (test-sim/engines/lua-check.test.ts).
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { DIST, ROOT } from "../build/paths.ts";
import type { BenchRow } from "./run.ts";
import { toolAvailable } from "../test-sim/engines/tools.ts";
import { luaSuiteFiles } from "../test-sim/engines/lua.ts";

const K = "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4";
const U = "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c";
/** RFC 7748 §5.2's first vector: every implementation must print it before it is timed. */
const OUT = "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552";
/**
 * Timed scalar multiplications (after one warm-up that is checked against OUT). Times are the
 * process's CPU time (user + system, /usr/bin/time) of a script doing 1 + N minus one doing 1, over
 * N: the same clock for every engine (Duktape has no CPU clock, and wall time on a loaded machine
 * counts other jobs' turns).
 */
const N = 30;
/** Scalar multiplications in the callgrind script: (1 + CALLGRIND_N) − 1, over CALLGRIND_N. */
const CALLGRIND_N = 2;
const PLC_DIR = join(ROOT, "bench/peers/plc");
/** The suites whose first piece the heap peak is taken over. */
const CRYPTO_SUITES = ["sha256", "sha512", "hmac", "hkdf", "chacha20", "poly1305", "aead", "x25519", "cpace", "noise", "hmac-drbg"];

type Lua = "lua5.1" | "lua5.3";

/** A Lua script that runs X25519 `n` times after a checked warm-up and prints `ms <per op>`. */
function ourScript(n: number): string {
  return readFileSync(join(DIST, "firstlight-core.lua"), "utf8") + `
local c = firstlight.crypto
local k, u = c:fromHex("${K}"), c:fromHex("${U}")
assert(c:toHex(c:x25519(k, u)) == "${OUT}", "x25519: wrong result")
local t0 = os.clock()
for i = 1, ${n} do c:x25519(k, u) end
print("ms " .. (os.clock() - t0) * 1000 / math.max(${n}, 1))
`;
}

function plcScript(n: number): string {
  return `package.path = ${JSON.stringify(PLC_DIR + "/?.lua;")} .. package.path
local ec = require("ec25519")
local function bin(h) return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end)) end
local function hex(s) return (s:gsub(".", function(ch) return string.format("%02x", ch:byte()) end)) end
local k, u = bin("${K}"), bin("${U}")
assert(hex(ec.scalarmult(k, u)) == "${OUT}", "plc ec25519: wrong result")
local t0 = os.clock()
for i = 1, ${n} do ec.scalarmult(k, u) end
print("ms " .. (os.clock() - t0) * 1000 / math.max(${n}, 1))
`;
}

function dukScript(n: number): string {
  return readFileSync(join(DIST, "firstlight-core.js"), "utf8") + `
var c = firstlight.crypto, k = c.fromHex("${K}"), u = c.fromHex("${U}");
if (c.toHex(c.x25519(k, u)) !== "${OUT}") throw new Error("x25519: wrong result");
var t0 = Date.now();
for (var i = 0; i < ${n}; i++) c.x25519(k, u);
print("ms " + (Date.now() - t0) / Math.max(${n}, 1));
`;
}

function exec(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 600_000, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}: ${(r.stderr ?? "").slice(-800)}`);
  return r.stdout;
}

/** CPU ms of one X25519 on `cmd`: (1 + N) runs minus 1 run, over N (see N). */
function ms(cmd: string, script: (n: number) => string, dir: string, tag: string): number {
  const cpu = (n: number): number => {
    const f = join(dir, `${tag}-t-${n}`);
    writeFileSync(f, script(n));
    const r = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", cmd, f], { encoding: "utf8", timeout: 600_000, maxBuffer: 1 << 26 });
    const m = /cpu (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)/.exec(r.stderr ?? "");
    if (r.status !== 0 || !m) throw new Error(`${cmd} ${f}: exit ${r.status}: ${(r.stderr ?? "").slice(-800)}`);
    return (Number(m[1]) + Number(m[2])) * 1000;
  };
  return (cpu(N) - cpu(0)) / N;
}

function valgrindAvailable(): boolean {
  return process.platform === "linux" && spawnSync("valgrind", ["--version"], { encoding: "utf8" }).status === 0;
}

/** x86-64 instructions of one X25519: callgrind of (1 + CALLGRIND_N) runs minus 1 run. */
function instructions(cmd: string, script: (n: number) => string, dir: string, tag: string): number {
  const count = (n: number): number => {
    const f = join(dir, `${tag}-cg-${n}`);
    writeFileSync(f, script(n));
    const r = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${join(dir, "callgrind.out")}`, cmd, f], { encoding: "utf8", timeout: 1_800_000 });
    const m = /Collected\s*:\s*(\d+)/.exec(r.stderr ?? "");
    if (r.status !== 0 || !m) throw new Error(`callgrind ${cmd} failed (${r.status}): ${(r.stderr ?? "").slice(-500)}`);
    return Number(m[1]);
  };
  return (count(CALLGRIND_N) - count(0)) / CALLGRIND_N;
}

/** The Lua heap in KB: with the core image loaded (after a full collection), and the peak while
 * the first piece of each crypto suite runs (sampled every 1 000 VM instructions; the suite's
 * vectors, as Lua tables, are part of it). */
function heap(lua: Lua, dir: string): { loaded: number; peak: number } {
  const loadedFile = join(dir, `heap-${lua}.lua`);
  writeFileSync(loadedFile, readFileSync(join(DIST, "firstlight-core.lua"), "utf8") + `
collectgarbage("collect"); collectgarbage("collect")
print("kb " .. collectgarbage("count"))
`);
  const loaded = Number(/kb (\S+)/.exec(exec(lua, [loadedFile]))![1]);
  let peak = 0;
  for (const { suite, file } of luaSuiteFiles(true)) {
    if (!CRYPTO_SUITES.includes(suite)) continue;
    const lines = readFileSync(file, "utf8").split("\n");
    const k = lines.findIndex((l) => l.startsWith("firstlightSelftest:piece("));
    const f = join(dir, `heap-${lua}-${suite}.lua`);
    writeFileSync(f, `local peak = 0
debug.sethook(function() local kb = collectgarbage("count") if kb > peak then peak = kb end end, "", 1000)
` + lines.slice(0, k + 1).join("\n") + `
firstlightSelftest:done()
debug.sethook()
print("peak " .. peak)
`);
    const out = exec(lua, [f]);
    if (!/ 0 failed\n/.test(out)) throw new Error(`${lua} ${suite}: the suite failed under the heap probe`);
    peak = Math.max(peak, Number(/peak (\S+)/.exec(out)![1]));
  }
  return { loaded, peak };
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const image = join(DIST, "firstlight-core.lua");
  const js = join(DIST, "firstlight-core.js");
  const gz = (f: string) => gzipSync(readFileSync(f), { level: 9 }).length;
  rows.push({ name: "core image (runtime + bundle)", engine: "lua", value: statSync(image).size, unit: "B", peers: [{ name: "JS core image", value: statSync(js).size }], section: "Lua image" });
  rows.push({ name: "core image, gzip -9", engine: "lua", value: gz(image), unit: "B", peers: [{ name: "JS core image", value: gz(js) }], section: "Lua image" });

  const dir = mkdtempSync(join(tmpdir(), "fl-lua-bench-"));
  const duk = toolAvailable("duk") ? ms("duk", dukScript, dir, "duk") : NaN;
  const plc = toolAvailable("lua5.3") ? ms("lua5.3", plcScript, dir, "plc") : NaN;
  const cg = valgrindAvailable();
  const dukI = cg && toolAvailable("duk") ? instructions("duk", dukScript, dir, "duk") : NaN;
  const plcI = cg && toolAvailable("lua5.3") ? instructions("lua5.3", plcScript, dir, "plc") : NaN;
  for (const lua of ["lua5.1", "lua5.3"] as const) {
    if (!toolAvailable(lua)) {
      rows.push({ name: "X25519 scalar multiplication", engine: lua, value: NaN, unit: "ms", note: `skipped: apt-get install ${lua === "lua5.1" ? "lua5.1 lua-bitop" : "lua5.3"}`, section: "X25519" });
      continue;
    }
    const t = ms(lua, ourScript, dir, lua);
    const timePeers = [{ name: "Duktape (JS core image)", value: duk }];
    if (lua === "lua5.3") timePeers.push({ name: "plc ec25519 on lua5.3", value: plc });
    rows.push({
      name: "X25519 scalar multiplication", engine: lua, value: t, unit: "ms", peers: timePeers, section: "X25519",
      target: lua === "lua5.3" ? { goal: "X25519 on lua5.3 within 2× of plc ec25519", met: t <= 2 * plc } : undefined,
    });
    if (cg) {
      const i = instructions(lua, ourScript, dir, lua);
      const instrPeers = [{ name: "Duktape (JS core image)", value: dukI }];
      if (lua === "lua5.3") instrPeers.push({ name: "plc ec25519 on lua5.3", value: plcI });
      rows.push({ name: "X25519 instructions (callgrind)", engine: lua, value: i, unit: "instr", peers: instrPeers, section: "X25519" });
    } else {
      rows.push({ name: "X25519 instructions skipped (needs Linux and valgrind)", engine: lua, value: NaN, unit: "", section: "X25519" });
    }
    const h = heap(lua, dir);
    rows.push({ name: "heap with the core image loaded", engine: lua, value: h.loaded, unit: "KB", section: "Lua heap (collectgarbage(\"count\"))" });
    rows.push({ name: "peak heap, first piece of each crypto suite (vectors included)", engine: lua, value: h.peak, unit: "KB", section: "Lua heap (collectgarbage(\"count\"))", note: CRYPTO_SUITES.join(" ") });
  }
  return rows;
}

