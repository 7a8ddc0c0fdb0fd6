/**
 * The proof that the Lua image computes the same on NodeMCU's builds as on Debian's: lua5.3 runs
 * every suite with FL_NARROW (the runtime path that a Lua 5.3 with 32-bit integers takes: native
 * operators see only int32 values and every result leaves as a float, so the compiled code's
 * arithmetic is IEEE doubles as in JavaScript, never integers that wrap at 2^31) and FL_CHECK
 * (every bitwise operand is asserted to be an exact integer below 2^53, every shift count 0..31:
 * the runtime's reduction to int32 is then exact, and NodeMCU's `bit` on Lua 5.1 is only ever
 * handed int32 values). A violation throws, and the suite reports it as a failure.
 *
 * This file runs every piece of every full suite file (the SHA-2 Monte chains take many minutes
 * checked: `npm run soak`); lua-check.test.ts runs the first piece of each quick file in `npm test`.
 */
import { describe, it } from "node:test";
import { assertSuitePasses, luaSuiteFiles, missingLua } from "./lua.ts";

const missing = missingLua("5.3");
describe("lua5.3 checked, 32-bit-integer path, every vector", { concurrency: 2 }, () => {
  for (const { suite, file } of luaSuiteFiles(false)) {
    it(`${suite} vectors`, { skip: missing, timeout: 3_600_000 }, () => assertSuitePasses("5.3", file, { check: true, narrow: true }));
  }
});
