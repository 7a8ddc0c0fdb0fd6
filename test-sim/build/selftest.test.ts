/**
 * build/selftest.ts: the vectors reach engines in pieces. cutVectors keeps every item exactly once,
 * in order, within the size where items allow; and a suite run in small pieces gives the same
 * checks as the same suite in one piece (run on Node, which is quick).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { join } from "node:path";
import { DIST } from "../../build/paths.ts";
import { cutVectors, pieceStatements, composeSelftest, loadVectors, CORE_IMAGE, RUNNER, DONE_STATEMENT } from "../../build/selftest.ts";
import { parseSummary } from "../engines/summary.ts";

test("cutVectors: every cut list item once, in order, pieces within the size, the rest in the first piece", () => {
  const data = { a: ["x".repeat(10), "y".repeat(10), "z".repeat(300), "w"], b: [[1, 2], [3]], keep: [9, 9], one: { k: 1 } };
  const pieces = cutVectors(data, 60, ["a", "b"]);
  assert.ok(pieces.length >= 3);
  const a: unknown[] = [], b: unknown[] = [];
  pieces.forEach((p, k) => {
    assert.deepEqual(Object.keys(p.data).sort(), k === 0 ? ["a", "b", "keep", "one"] : ["a", "b"]);
    a.push(...(p.data.a as unknown[]));
    b.push(...(p.data.b as unknown[]));
    const items = (p.data.a as unknown[]).length + (p.data.b as unknown[]).length;
    assert.ok(items === 1 || JSON.stringify(p.data).length <= 60 || k === 0, `piece ${k} over size with ${items} items`);
    if ((p.data.a as unknown[]).length) assert.equal(data.a[p.base.a], (p.data.a as unknown[])[0]);
    if ((p.data.b as unknown[]).length) assert.deepEqual(data.b[p.base.b], (p.data.b as unknown[])[0]);
  });
  assert.deepEqual(a, data.a);
  assert.deepEqual(b, data.b);
  assert.equal(cutVectors(data, 1 << 20, ["a", "b"]).length, 1);
  assert.equal(cutVectors(data, 10, []).length, 1, "nothing cuttable: one piece");
  assert.throws(() => cutVectors(data, 10, ["one"]), /not a list/);
});

async function runPieces(suite: string, maxChars: number): Promise<string> {
  const v = await loadVectors(suite, { full: false });
  const code = composeSelftest(readFileSync(CORE_IMAGE, "utf8"), readFileSync(RUNNER, "utf8"), pieceStatements(suite, v, maxChars));
  const lines: string[] = [];
  runInNewContext(code, { print: (s: string) => lines.push(s), Date }, { timeout: 120_000 });
  return lines.join("\n");
}

for (const suite of ["hmac", "x25519", "sha256", "aead"]) {
  test(`${suite}: small pieces give the same checks as one piece`, async () => {
    const whole = parseSummary(await runPieces(suite, 1 << 24));
    const small = await runPieces(suite, 1500);
    const s = parseSummary(small);
    assert.ok(whole && s, small.slice(-500));
    assert.equal(s.failed, 0, small.slice(-2000));
    assert.equal(s.passed, whole.passed);
    assert.match(small, new RegExp(`^suite ${suite}: \\d+ passed`, "m"));
  });
}

test("the built files carry the vectors as piece statements, not one literal, and end with the summary", () => {
  assert.ok(readFileSync(RUNNER, "utf8").startsWith("var firstlightSelftest;"));
  const sha = readFileSync(join(DIST, "selftest", "sha512.js"), "utf8");
  assert.ok(sha.trimEnd().endsWith(DONE_STATEMENT));
  assert.ok(!sha.includes("FIRSTLIGHT_VECTORS"));
  assert.ok((sha.match(/^firstlightSelftest\.piece\("sha512",/gm) ?? []).length > 10, "sha512 comes in many pieces");
});
