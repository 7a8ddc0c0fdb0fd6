/**
 * Every vector of every suite on the Lua image, on lua5.1 and lua5.3: the full files (the SHA-2
 * Monte chains to their 100th checkpoint, RFC 7748's iterated X25519 to 1 000), minutes on each Lua. lua.test.ts runs the quick files
 * in `npm test`.
 */
import { describe, it } from "node:test";
import { LUA_VERSIONS, assertSuitePasses, luaSuiteFiles, missingLua } from "./lua.ts";

describe("the Lua image's self-tests, every vector", { concurrency: 2 }, () => {
  for (const v of LUA_VERSIONS) {
    const missing = missingLua(v);
    for (const { suite, file } of luaSuiteFiles(false)) {
      it(`lua${v}: ${suite}, every vector`, { skip: missing, timeout: 1_800_000 }, () => assertSuitePasses(v, file));
    }
  }
});
