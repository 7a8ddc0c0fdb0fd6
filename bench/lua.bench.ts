/**
 * The Lua image: its size, and X25519 (one scalar multiplication) on lua5.1 (LuaBitOp) and lua5.3,
 * beside the JavaScript core image on Duktape, measured in the same run. Peer: philanc's plc
 * `ec25519` on lua5.3 (pure Lua, needs 64-bit integers, so it cannot run on NodeMCU) when
 * FIRSTLIGHT_PLC names a directory holding its ec25519.lua; without it the row says it was skipped.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { DIST } from "../build/paths.ts";
import type { BenchRow } from "./run.ts";
import { toolAvailable } from "../test-sim/engines/tools.ts";

const K = "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4";
const U = "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c";
const N = 5;

function runMs(cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 600_000 });
  const m = /ms (\d+(?:\.\d+)?)/.exec(r.stdout ?? "");
  if (!m) throw new Error(`${cmd}: no timing: ${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

function luaX25519(v: "5.1" | "5.3", dir: string): number {
  const f = join(dir, `x25519-${v}.lua`);
  writeFileSync(f, readFileSync(join(DIST, "firstlight-core.lua"), "utf8") + `
local c = firstlight.crypto
local k, u = c:fromHex("${K}"), c:fromHex("${U}")
c:x25519(k, u)
local t0 = os.clock()
for i = 1, ${N} do c:x25519(k, u) end
print("ms " .. (os.clock() - t0) * 1000 / ${N})
`);
  return runMs("lua" + v, [f]);
}

function dukX25519(dir: string): number {
  const f = join(dir, "x25519-duk.js");
  writeFileSync(f, readFileSync(join(DIST, "firstlight-core.js"), "utf8") + `
var c = firstlight.crypto, k = c.fromHex("${K}"), u = c.fromHex("${U}");
c.x25519(k, u);
var t0 = Date.now();
for (var i = 0; i < ${N}; i++) c.x25519(k, u);
print("ms " + (Date.now() - t0) / ${N});
`);
  return runMs("duk", [f]);
}

function plcX25519(dir: string): number | string {
  const plc = process.env.FIRSTLIGHT_PLC;
  if (!plc || !existsSync(join(plc, "ec25519.lua"))) return "skipped: set FIRSTLIGHT_PLC to a checkout of philanc/plc's plc/ directory";
  const f = join(dir, "plc.lua");
  writeFileSync(f, `package.path = ${JSON.stringify(plc + "/?.lua;")} .. package.path
local ec = require("ec25519")
local k, u = ("${K}"):gsub("..", function(h) return string.char(tonumber(h, 16)) end), ("${U}"):gsub("..", function(h) return string.char(tonumber(h, 16)) end)
ec.scalarmult(k, u)
local t0 = os.clock()
for i = 1, ${N} do ec.scalarmult(k, u) end
print("ms " .. (os.clock() - t0) * 1000 / ${N})
`);
  return runMs("lua5.3", [f]);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const image = join(DIST, "firstlight-core.lua");
  rows.push({ name: "Lua core image (runtime + bundle)", engine: "lua", value: statSync(image).size, unit: "B", peers: [{ name: "JS core image", value: statSync(join(DIST, "firstlight-core.js")).size }] });
  const dir = mkdtempSync(join(tmpdir(), "fl-lua-bench-"));
  const duk = toolAvailable("duk") ? dukX25519(dir) : NaN;
  const plc = plcX25519(dir);
  for (const v of ["5.1", "5.3"] as const) {
    if (!toolAvailable(`lua${v}`)) continue;
    const peers = [{ name: "Duktape (JS core image)", value: duk }];
    if (typeof plc === "number" && v === "5.3") peers.push({ name: "plc ec25519 (lua5.3, 64-bit integers)", value: plc });
    rows.push({ name: "X25519 scalar multiplication", engine: `lua${v}`, value: luaX25519(v, dir), unit: "ms", peers,
      note: typeof plc === "string" && v === "5.3" ? `plc peer ${plc}` : undefined });
  }
  return rows;
}
