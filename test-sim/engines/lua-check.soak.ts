/**
 * The proof that the Lua image computes the same on NodeMCU's builds as on Debian's: lua5.3 runs
 * every suite with FL_NARROW (the runtime path that a Lua 5.3 with 32-bit integers takes: native
 * operators see only int32 values and every result leaves as a float, so the compiled code's
 * arithmetic is IEEE doubles as in JavaScript, never integers that wrap at 2^31) and FL_CHECK
 * (every bitwise operand is asserted to be an exact integer below 2^53, every shift count 0..31:
 * the runtime's reduction to int32 is then exact, and NodeMCU's `bit` on Lua 5.1 is only ever
 * handed int32 values). A violation throws, and the suite reports it as a failure.
 *
 * This file runs every piece of every suite (hmac-drbg alone takes minutes: `npm run soak`);
 * lua-check.test.ts runs the first piece of each in `npm test`.
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
