/**
 * The loader options for engines that cannot hold or finish the whole vector set
 * (build/selftest.ts, LoaderOptions), on Node: long messages fed in parts across pieces and HKDF
 * outputs checked block by block give the same number of checks as the whole set (plus one per
 * block-checked output) with none failing; a part lost or corrupted on the way fails; the samples
 * are what their loaders say and pass.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { CORE_IMAGE, RUNNER, composeSelftest, loadVectors, pieceStatements, type LoaderOptions } from "../../build/selftest.ts";
import { parseSummary } from "../engines/summary.ts";

function run(statements: string[]): { passed: number; failed: number; out: string } {
  const lines: string[] = [];
  runInNewContext(composeSelftest(readFileSync(CORE_IMAGE, "utf8"), readFileSync(RUNNER, "utf8"), statements), { print: (s: string) => lines.push(s), Date }, { timeout: 300_000 });
  const out = lines.join("\n"), s = parseSummary(out);
  assert.ok(s, out.slice(-500));
  return { ...s, out };
}

async function checks(suite: string, o: LoaderOptions, pieceChars = 1500) {
  return run(pieceStatements(suite, await loadVectors(suite, o), pieceChars));
}

for (const suite of ["sha256", "sha512"]) {
  test(`${suite}: every LongMsg fed in 512-byte parts across 1.5 KB pieces gives the checks of whole messages`, async () => {
    const whole = await checks(suite, { full: false }, 1 << 24);
    const parts = await checks(suite, { full: false, partBytes: 512 });
    assert.equal(parts.failed, 0, parts.out.slice(-2000));
    assert.equal(parts.passed, whole.passed);
  });

  test(`${suite}: a LongMsg part lost, repeated or corrupted on the way fails`, async () => {
    const statements = pieceStatements(suite, await loadVectors(suite, { full: false, sample: "spread", partBytes: 256, monte: 0 }), 700);
    const at = statements.findIndex((s) => /"at":256,/.test(s));
    assert.ok(at > 0, "a piece with a second part");
    const lost = run(statements.filter((_, k) => k !== at));
    assert.match(lost.out, /arrived out of order/);
    const twice = run([...statements.slice(0, at + 1), ...statements.slice(at)]);
    assert.ok(twice.failed > 0);
    const flipped = run(statements.map((s, k) => (k === at ? s.replace(/"part":"(.)/, (_, ch) => `"part":"${ch === "0" ? "1" : "0"}`) : s)));
    assert.ok(flipped.failed >= 2, flipped.out.slice(-1000));
  });
}

test("hkdf: outputs over okmBytes are checked block by block, the rest as before, none failing", async () => {
  const whole = await checks("hkdf", { full: false }, 1 << 24);
  const blocks = await checks("hkdf", { full: false, okmBytes: 8160 });
  assert.equal(blocks.failed, 0, blocks.out.slice(-2000));
  // The three 16 320-byte SHA-512 outputs: each also checks the image's Expand of the first 8 160 bytes;
  // the one-off "length 255*64 is allowed" is left out.
  assert.equal(blocks.passed, whole.passed + 3 - 1);
  const sample = await checks("hkdf", { full: false, sample: "spread", okmBytes: 512 });
  assert.equal(sample.failed, 0, sample.out.slice(-2000));
  assert.ok(sample.passed < whole.passed / 2);
});

test("x25519: the sample is one test per flag and counts as its own whole set", async () => {
  const v = await loadVectors("x25519", { full: false, sample: "spread" });
  assert.deepEqual((v.data.tests as number[][]).map((t) => t[0]), [1, 68, 100, 103, 117, 511]);
  const r = await checks("x25519", { full: false, sample: "spread" }, 300);
  assert.equal(r.failed, 0, r.out);
  assert.match(r.out, /suite x25519: 9 passed, 0 failed/);
  const lost = run(pieceStatements("x25519", v, 300).filter((_, k) => k !== 2));
  assert.ok(lost.failed > 0, "a lost piece fails the count");
});

for (const [suite, o] of [["rfc7748", { full: false, iterations: 1 }], ["aead", { full: false, sample: "spread" }], ["hmac", { full: false, sample: "spread" }]] as [string, LoaderOptions][]) {
  test(`${suite}: ${JSON.stringify(o)} passes with fewer checks than the whole set`, async () => {
    const whole = await checks(suite, { full: false }, 1 << 24);
    const r = await checks(suite, o);
    assert.equal(r.failed, 0, r.out.slice(-2000));
    assert.ok(r.passed > 0 && r.passed < whole.passed, `${r.passed} of ${whole.passed}`);
  });
}

for (const suite of ["aead", "hmac", "hkdf", "sha256", "sha512", "x25519", "rfc7748"]) {
  test(`${suite}: the smoke sample, as Espruino from Storage gets it in npm test, passes`, async () => {
    const r = await checks(suite, { full: false, sample: "smoke", partBytes: 512, okmBytes: 1024, iterations: 0, monte: 0 });
    assert.equal(r.failed, 0, r.out.slice(-2000));
    assert.ok(r.passed >= 3, `${r.passed} checks`);
  });
}
