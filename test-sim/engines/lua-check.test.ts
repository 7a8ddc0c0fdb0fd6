/**
 * The proof that the Lua image computes the same on NodeMCU's builds as on Debian's: lua5.3 runs
 * every suite with FL_NARROW (the runtime path that a Lua 5.3 with 32-bit integers takes: native
 * operators see only int32 values and every result leaves as a float, so the compiled code's
 * arithmetic is IEEE doubles as in JavaScript, never integers that wrap at 2^31) and FL_CHECK
 * (every bitwise operand is asserted to be an exact integer below 2^53, every shift count 0..31:
 * the runtime's reduction to int32 is then exact, and NodeMCU's `bit` on Lua 5.1 is only ever
 * handed int32 values). A violation throws, and the suite reports it as a failure.
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { LUA_SELFTEST_DIR } from "../../build/lua/build-lua.ts";
import { parseSummary } from "./summary.ts";
import { missingLua, runLua } from "./lua.ts";

const missing = missingLua("5.3");
for (const f of readdirSync(LUA_SELFTEST_DIR).filter((x) => x.endsWith(".lua")).sort()) {
  test(`lua5.3 checked, 32-bit-integer path: ${basename(f, ".lua")} vectors`, { skip: missing, timeout: 600_000 }, async () => {
    const r = await runLua("5.3", join(LUA_SELFTEST_DIR, f), { check: true, narrow: true });
    const summary = parseSummary(r.stdout);
    assert.ok(summary, `no summary line (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(-2000)}`);
    assert.equal(summary.failed, 0, r.stdout.slice(-4000));
    assert.ok(summary.passed > 0, "ran no checks");
  });
}

test("FL_CHECK refuses a fraction or a shift count out of range (the check can fail)", { skip: missing }, async () => {
  const { writeFileSync, mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "fl-lua-"));
  const probe = join(dir, "probe.lua");
  const { LUA_RUNTIME } = await import("../../build/lua/build-lua.ts");
  const { readFileSync } = await import("node:fs");
  writeFileSync(probe, readFileSync(LUA_RUNTIME, "utf8") + `
print(bxor(5, 3), shr(-1, 0), sar(-8, 1), shl(1, 31))
print(pcall(bxor, 2.5, 1))
print(pcall(shl, 1, 32))
`);
  const r = await runLua("5.3", probe, { check: true, narrow: true });
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines[0], "6.0\t4294967295.0\t-4.0\t-2147483648.0", r.stdout + r.stderr);
  assert.match(lines[1], /^false\t.*not an exact integer: 2\.5/);
  assert.match(lines[2], /^false\t.*shift count 32/);
});
