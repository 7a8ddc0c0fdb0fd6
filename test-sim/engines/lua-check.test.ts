/**
 * The checked pass of lua-check.soak.ts (FL_CHECK on the 32-bit-integer path, FL_NARROW, on
 * lua5.3), in `npm test` on the first piece of each suite's quick vectors (the soak runs every
 * piece of the full files), and proof that the check can fail: the runtime's own probe, and a
 * mutation of the compiled SHA-256 that every vector still passes unchecked but the check refuses.
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

describe("lua5.3 checked, 32-bit-integer path", { concurrency: 2 }, () => {
  for (const { suite, file } of luaSuiteFiles(true)) {
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

test("a mutation every vector misses is caught by the check: 2^53 added to a SHA-256 schedule operand", { skip: missing, timeout: 600_000 }, async () => {
  // σ1's `(x >>> 17) + x * 32768`: adding 2^53 leaves it the same mod 2^32, and the sum stays an
  // exact double, so every runtime computes the right hash; but it is an operand no NodeMCU build
  // may be handed (the `bit` module casts it to a C int), and the check must say so.
  const file = luaSuiteFiles(true).find((f) => f.suite === "sha256")!.file;
  const text = firstPiece(readFileSync(file, "utf8"), file);
  const target = "shr(x, 17.0) + x * 32768.0";
  assert.equal(text.split(target).length, 2, "the compiled schedule line to mutate is not found once: update the mutation");
  const mutant = join(dir, "sha256-mutant.lua");
  writeFileSync(mutant, text.replace(target, target + " + 9007199254740992.0"));
  await assertSuitePasses("5.3", mutant); // unchecked: every vector still passes
  const r = await runLua("5.3", mutant, { check: true, narrow: true });
  const summary = parseSummary(r.stdout);
  assert.ok(summary && summary.failed > 0, "the checked run passed the mutant:\n" + r.stdout.slice(-2000));
  assert.match(r.stdout, /FL_CHECK: operand of \^ is not an exact integer: 9\.007\d*e\+15|FL_CHECK: operand of \^ is not an exact integer: 90071992/);
});
