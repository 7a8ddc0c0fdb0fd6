/**
 * The Lua image's self-tests (dist/selftest-lua/, build/lua/build-lua.ts) on Debian's lua5.1
 * (LuaBitOp as the `bit` module) and lua5.3: every suite, every vector, except that the long
 * chains stop at their first link (the quick files, build/lua/build-lua.ts LUA_QUICK: the SHA-2
 * Monte chains at checkpoint 1 of 100, RFC 7748's iterated X25519 at iteration 1 of 1 000;
 * lua.soak.ts runs the full files). Each suite must end `N passed, 0 failed`. Two Lua processes
 * at a time.
 */
import { basename } from "node:path";
import { describe, it, test } from "node:test";
import assert from "node:assert/strict";
import { LUA_SKIPPED_SUITES } from "../../build/lua/build-lua.ts";
import { listSuites } from "../../build/selftest.ts";
import { LUA_VERSIONS, assertSuitePasses, luaSuiteFiles, missingLua } from "./lua.ts";

test("lua: every self-test suite is built for Lua, or skipped with its reason", () => {
  const built = luaSuiteFiles(false).map((f) => basename(f.file, ".lua"));
  for (const s of listSuites()) assert.ok(built.includes(s) || s in LUA_SKIPPED_SUITES, `suite ${s} has no Lua file and no reason`);
});

describe("the Lua image's self-tests", { concurrency: 2 }, () => {
  for (const v of LUA_VERSIONS) {
    const missing = missingLua(v);
    for (const { suite, file } of luaSuiteFiles(true)) {
      it(`lua${v}: ${suite} vectors${file.includes("/quick/") ? " (long chains to their first link)" : ""}`, { skip: missing, timeout: 600_000 }, () => assertSuitePasses(v, file));
    }
  }
});
