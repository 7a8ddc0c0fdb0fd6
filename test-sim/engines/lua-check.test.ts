/**
 * The checked pass of lua-check.soak.ts (FL_CHECK on the 32-bit-integer path, FL_NARROW, on
 * lua5.3), in `npm test` on the first piece of the quick vectors of CHECKED_SUBSET (the soak runs
 * every piece of every full file), and proof that the check can fail: the runtime's own probe, a
 * mutation of the compiled SHA-256 that every vector still passes unchecked but the check refuses,
 * and a fraction reaching a bitwise operator.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, it, test } from "node:test";
import assert from "node:assert/strict";
import { LUA_RUNTIME } from "../../build/lua/build-lua.ts";
import { parseSummary } from "./summary.ts";
import { assertSuitePasses, luaSuiteFiles, missingLua, runLua } from "./lua.ts";

const missing = missingLua("5.3");
const dir = mkdtempSync(join(tmpdir(), "fl-lua-check-"));

/** A suite's Lua text cut after its first piece statement, then the summary line. */
function firstPiece(text: string, file: string): string {
  const lines = text.split("\n");
  const k = lines.findIndex((l) => l.startsWith("firstlightSelftest:piece("));
  if (k < 0) throw new Error(`${file}: no piece statement`);
  return lines.slice(0, k + 1).join("\n") + "\nfirstlightSelftest:done()\n";
}

/**
 * The suites whose first piece runs checked in `npm test`: every primitive that does 32-bit
 * arithmetic, the bounds checks, CPace's field code. The composite suites (hkdf, hmac-drbg, noise,
 * store: the same primitives composed, minutes checked) run checked in lua-check.soak.ts.
 */
const CHECKED_SUBSET = ["aead", "bounds", "bytes", "chacha20", "cpace", "entropy", "hmac", "poly1305", "rfc7748", "sha256", "sha512", "x25519"];

test("the checked subset names built suites", () => {
  const built = luaSuiteFiles(true).map((f) => f.suite);
  for (const s of CHECKED_SUBSET) assert.ok(built.includes(s), `no Lua suite ${s}`);
});

describe("lua5.3 checked, 32-bit-integer path", { concurrency: 2 }, () => {
  for (const { suite, file } of luaSuiteFiles(true).filter((f) => CHECKED_SUBSET.includes(f.suite))) {
    it(`${suite}, first piece`, { skip: missing, timeout: 600_000 }, () => {
      const cut = join(dir, basename(file));
      writeFileSync(cut, firstPiece(readFileSync(file, "utf8"), file));
      return assertSuitePasses("5.3", cut, { check: true, narrow: true });
    });
  }
});

test("FL_CHECK refuses a fraction or a shift count out of range (the check can fail)", { skip: missing }, async () => {
  const probe = join(dir, "probe.lua");
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

/** The compiled SHA-256 (quick file, first piece) with `target` replaced by `by`, as a new file. */
function sha256Mutant(name: string, target: string, by: string): string {
  const file = luaSuiteFiles(true).find((f) => f.suite === "sha256")!.file;
  const text = firstPiece(readFileSync(file, "utf8"), file);
  assert.equal(text.split(target).length, 2, `the compiled text ${target} is not found once: update the mutation`);
  const mutant = join(dir, name);
  writeFileSync(mutant, text.replace(target, by));
  return mutant;
}

async function assertCheckRefuses(mutant: string, message: RegExp): Promise<void> {
  const r = await runLua("5.3", mutant, { check: true, narrow: true });
  const summary = parseSummary(r.stdout);
  assert.ok(summary && summary.failed > 0, "the checked run passed the mutant:\n" + r.stdout.slice(-2000));
  assert.match(r.stdout, message);
}

test("a mutation every vector misses is caught by the check: a shift count of 57 in SHA-256's σ0", { skip: missing, timeout: 600_000 }, async () => {
  // `y << 25` made `y << 57`: JavaScript shifts by 57 mod 32 = 25, and so does the runtime, so
  // every vector still passes; but a count outside 0..31 is what the check exists to refuse
  // (C's shift by 57 is undefined, and NodeMCU's `bit` hands the count to C).
  const mutant = sha256Mutant("sha256-shift.lua", "shl(y, 25.0)", "shl(y, 57.0)");
  await assertSuitePasses("5.3", mutant); // unchecked: every vector passes
  await assertSuitePasses("5.1", mutant);
  await assertCheckRefuses(mutant, /FL_CHECK: shift count 57/);
});

test("the check refuses a fraction reaching a bitwise operator in SHA-256's σ1", { skip: missing, timeout: 600_000 }, async () => {
  const mutant = sha256Mutant("sha256-fraction.lua", "shr(x, 17.0) + x * 32768.0", "shr(x, 17.0) + x * 32768.5");
  await assertCheckRefuses(mutant, /FL_CHECK: operand of \^ is not an exact integer: -?\d+\.5\b/);
});
