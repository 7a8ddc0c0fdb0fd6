/**
 * The Lua image's self-tests (dist/selftest-lua/SUITE.lua, build/lua/build-lua.ts) on Debian's
 * lua5.1 (LuaBitOp as the `bit` module) and lua5.3: each suite must end `N passed, 0 failed`.
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { LUA_SELFTEST_DIR, LUA_SKIPPED_SUITES } from "../../build/lua/build-lua.ts";
import { listSuites } from "../../build/selftest.ts";
import { parseSummary } from "./summary.ts";
import { LUA_VERSIONS, missingLua, runLua } from "./lua.ts";

const files = readdirSync(LUA_SELFTEST_DIR).filter((f) => f.endsWith(".lua")).sort();

test("lua: every self-test suite is built for Lua, or skipped with its reason", () => {
  const built = files.map((f) => basename(f, ".lua"));
  for (const s of listSuites()) assert.ok(built.includes(s) || s in LUA_SKIPPED_SUITES, `suite ${s} has no Lua file and no reason`);
});

for (const v of LUA_VERSIONS) {
  const missing = missingLua(v);
  for (const f of files) {
    const suite = basename(f, ".lua");
    test(`lua${v}: ${suite} vectors on the Lua image`, { skip: missing, timeout: 600_000 }, async () => {
      const r = await runLua(v, join(LUA_SELFTEST_DIR, f));
      const summary = parseSummary(r.stdout);
      assert.ok(summary, `no summary line from lua${v} (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(-2000)}`);
      assert.equal(summary.failed, 0, r.stdout.slice(-4000));
      assert.ok(summary.passed > 0, "ran no checks");
    });
  }
}
