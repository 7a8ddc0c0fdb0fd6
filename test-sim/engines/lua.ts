/**
 * Runs Lua scripts on Debian's `lua5.1` (with LuaBitOp, Debian package `lua-bitop`, as NodeMCU's
 * `bit`) and `lua5.3`. `check` sets the global FL_CHECK first: the runtime then asserts that every
 * bitwise operand is an exact integer and every shift count in 0..31 (build/lua/runtime.lua).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import assert from "node:assert/strict";
import { LUA_QUICK_DIR, LUA_SELFTEST_DIR } from "../../build/lua/build-lua.ts";
import { parseSummary } from "./summary.ts";
import { missingTool } from "./tools.ts";

export type LuaVersion = "5.1" | "5.3";
export const LUA_VERSIONS: LuaVersion[] = ["5.1", "5.3"];

export function luaBinary(v: LuaVersion): string {
  return "lua" + v;
}

/** Why Lua `v` cannot run here (a missing package), or undefined. */
export function missingLua(v: LuaVersion): string | false {
  return missingTool(luaBinary(v) as "lua5.1" | "lua5.3");
}

export interface LuaResult { stdout: string; stderr: string; code: number | null; ms: number }

/** `narrow` sets FL_NARROW: the path a Lua 5.3 with 32-bit integers takes (NodeMCU's build). */
export function runLua(v: LuaVersion, file: string, opts: { check?: boolean; narrow?: boolean; timeoutMs?: number } = {}): Promise<LuaResult> {
  const globals = (opts.check ? "FL_CHECK = true " : "") + (opts.narrow ? "FL_NARROW = true" : "");
  const args = globals ? ["-e", globals, file] : [file];
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(luaBinary(v), args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 600_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, ms: Date.now() - t0 });
    });
  });
}

/** The built Lua suites: each suite's full file, or with `quick` its quick variant where it has one. */
export function luaSuiteFiles(quick: boolean): { suite: string; file: string }[] {
  return readdirSync(LUA_SELFTEST_DIR).filter((f) => f.endsWith(".lua")).sort().map((f) => {
    const q = join(LUA_QUICK_DIR, f);
    return { suite: basename(f, ".lua"), file: quick && existsSync(q) ? q : join(LUA_SELFTEST_DIR, f) };
  });
}

/** Runs one self-test file and asserts it ends `N passed, 0 failed` with N > 0. */
export async function assertSuitePasses(v: LuaVersion, file: string, opts: { check?: boolean; narrow?: boolean } = {}): Promise<void> {
  const r = await runLua(v, file, opts);
  const summary = parseSummary(r.stdout);
  assert.ok(summary, `no summary line from lua${v} (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(-2000)}`);
  assert.equal(summary.failed, 0, r.stdout.slice(-4000));
  assert.ok(summary.passed > 0, "ran no checks");
}
