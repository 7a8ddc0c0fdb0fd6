/**
 * The checked pass of lua-check.soak.ts (FL_CHECK on the 32-bit-integer path, FL_NARROW, on
 * lua5.3), in `npm test` on the first piece of each suite's vectors (the soak runs them all), and
 * a probe that shows the check can fail.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { LUA_SELFTEST_DIR, LUA_RUNTIME } from "../../build/lua/build-lua.ts";
import { parseSummary } from "./summary.ts";
import { missingLua, runLua } from "./lua.ts";

const missing = missingLua("5.3");
const dir = mkdtempSync(join(tmpdir(), "fl-lua-check-"));

/** The suite file cut after its first piece statement, then the summary line. */
function firstPiece(file: string): string {
  const lines = readFileSync(file, "utf8").split("\n");
  const k = lines.findIndex((l) => l.startsWith("firstlightSelftest:piece("));
  if (k < 0) throw new Error(`${file}: no piece statement`);
  return lines.slice(0, k + 1).join("\n") + "\nfirstlightSelftest:done()\n";
}

for (const f of readdirSync(LUA_SELFTEST_DIR).filter((x) => x.endsWith(".lua")).sort()) {
  test(`lua5.3 checked, 32-bit-integer path: ${basename(f, ".lua")}, first piece`, { skip: missing, timeout: 600_000 }, async () => {
    const cut = join(dir, f);
    writeFileSync(cut, firstPiece(join(LUA_SELFTEST_DIR, f)));
    const r = await runLua("5.3", cut, { check: true, narrow: true });
    const summary = parseSummary(r.stdout);
    assert.ok(summary, `no summary line (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(-2000)}`);
    assert.equal(summary.failed, 0, r.stdout.slice(-4000));
    assert.ok(summary.passed > 0, "ran no checks");
  });
}

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
