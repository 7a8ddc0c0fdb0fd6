/**
 * The SP 800-90B estimator checked against results derivable exactly (constant, uniform, biased
 * Bernoulli sources), against figures published with NIST's ea_non_iid output, and the restart tests.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  assess, collision, collisionP, compression, critBinom, lag, markov, mostCommonValue, multiMcw, multiMmc, lz78y,
  predictorEstimate, restartTests, tupleAndLrs, upperBound,
} from "../../../tools/entropy/sp800-90b.ts";
import { SimTrng } from "../../../hal/sim/trng.ts";
import { main } from "../../../tools/entropy/cli.node.ts";
import { capture } from "../../../tools/entropy/capture.node.ts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function take(sc: ConstructorParameters<typeof SimTrng>[0], n: number): Uint8Array {
  const t = new SimTrng(sc), out = new Uint8Array(n);
  for (let o = 0; o < n; o += 256) t.read(Math.min(256, n - o), (_e, b) => out.set(b!, o));
  return out;
}
const bernoulli = (p: number, n: number, seed: number) => take({ kind: "biased", p, seed }, n).map((b) => b & 1);

test("a constant source: every estimator gives 0", () => {
  const a = assess(new Uint8Array(20000).fill(0x5a), 8);
  for (const e of a.original) assert.equal(e.h, 0, e.name);
  assert.equal(a.h, 0);
  const bits = new Uint8Array(50000);
  for (const e of [mostCommonValue(bits, 2), collision(bits), markov(bits), compression(bits), ...tupleAndLrs(bits, 2), multiMcw(bits, 2), lag(bits, 2), multiMmc(bits, 2), lz78y(bits, 2)])
    assert.ok(e.h < 1e-3, `${e.name}: ${e.h}`);
});

test("most common value: the §6.3.1 formula exactly, and NIST's published outputs", () => {
  // 3 of 10 samples equal: p = 0.3, pu = 0.3 + z √(0.21 / 9), z = Φ^-1(0.995) (90B rounds it to 2.576).
  const s = [1, 1, 1, 2, 3, 4, 5, 6, 7, 8];
  assert.ok(Math.abs(mostCommonValue(s, 256).h - -Math.log2(0.3 + 2.5758293035489008 * Math.sqrt(0.21 / 9))) < 1e-12);
  // ea_non_iid on 10^7 bytes (usnistgov/SP800-90B_EntropyAssessment issue #163): mode 111928 → p_u 0.011278492395416184, 6.470282 bits.
  assert.ok(Math.abs(upperBound(111928 / 1e7, 1e7) - 0.011278492395416184) < 1e-16);
  assert.equal((-Math.log2(upperBound(111928 / 1e7, 1e7))).toFixed(6), "6.470282");
  // Its bitstring: mode 40001947 of 8·10^7 → p_u 0.50016833073625866, 0.999514 bits.
  assert.ok(Math.abs(upperBound(40001947 / 8e7, 8e7) - 0.50016833073625866) < 1e-15);
  // Issue #125's t-tuple: p-hat 0.99750404690872341 on 83 886 080 samples → p_u 0.997518079816617.
  assert.ok(Math.abs(upperBound(0.99750404690872341, 83886080) - 0.997518079816617) < 1e-14);
});

test("collision: 2 + 2pq is the expected collision time, and NIST's published p is reproduced", () => {
  // Issue #163: X-bar 2.4956254804858933, sigma-hat 0.49998087101133543 over 8·10^7 bits (v = 8·10^7 / X-bar) → p 0.54796866074796802.
  const xbar = 2.4956254804858933, v = Math.floor(8e7 / xbar);
  const p = collisionP(xbar, 0.49998087101133543, v)!;
  assert.ok(Math.abs(p - 0.54796866074796802) < 1e-5, `p = ${p}`);
  // Exactly: for X̄' = 2 + 2p(1 − p) with σ = 0 the solver returns p.
  for (const q of [0.55, 0.7, 0.9]) assert.ok(Math.abs(collisionP(2 + 2 * q * (1 - q), 0, 1000)! - q) < 1e-9, `p=${q}`);
  assert.equal(collisionP(2.6, 0, 100), null, "beyond 2.5: no solution, 1 bit");
});

test("a biased Bernoulli source (p = 0.75): estimates near −log2(0.75) = 0.415 and never above it by more than sampling error", () => {
  const s = bernoulli(0.75, 200000, 5), truth = -Math.log2(0.75);
  const near = (e: { name: string; h: number }, tol: number) => assert.ok(Math.abs(e.h - truth) < tol, `${e.name}: ${e.h}`);
  near(mostCommonValue(s, 2), 0.015);
  near(markov(s), 0.01);
  near(collision(s), 0.04);
  near(multiMcw(s, 2), 0.02);
  near(multiMmc(s, 2), 0.02);
  near(lz78y(s, 2), 0.02);
  const a = assess(s, 1);
  assert.ok(a.h <= truth + 0.005 && a.h > 0.2, `overall ${a.h}`);
  // LRS and Lag estimate the collision entropy −log2(p² + q²) = 0.678 on IID data, as they should.
  assert.ok(Math.abs(tupleAndLrs(s, 2)[1].h - -Math.log2(0.625)) < 0.03);
  assert.ok(Math.abs(lag(s, 2).h - -Math.log2(0.625)) < 0.03);
});

test("a uniform byte source: every estimate is at most 8 and the minimum within the estimators' known pessimism", () => {
  const a = assess(take({ kind: "healthy", seed: 9 }, 8192), 8);
  for (const e of a.original) assert.ok(e.h <= 8 && e.h > 6.5, `${e.name}: ${e.h}`);
  for (const e of a.bitstring) assert.ok(e.h <= 1 && e.h > 0.7, `bitstring ${e.name}: ${e.h}`);
  // Predictors on uniform bytes: about 1/256 correct.
  const mcw = a.original.find((e) => e.name.startsWith("MultiMCW"))!;
  assert.ok(mcw.h > 7.3, mcw.note);
  assert.ok(a.h > 5.5 && a.h <= 8, `${a.h}`);
});

test("predictor bounds: P_global's 99 % bound, and P_local grows with the longest run", () => {
  const g = predictorEstimate("x", 10000, 5000, 3, 2);
  assert.ok(Math.abs(g.h - -Math.log2(0.5 + 2.5758293035489008 * Math.sqrt(0.25 / 9999))) < 1e-12);
  const longRun = predictorEstimate("x", 10000, 10, 60, 256);
  assert.ok(longRun.h < 1, `a run of 60 correct predictions in 10^4: ${longRun.h}`);
  assert.ok(predictorEstimate("x", 10000, 0, 0, 256).h === 8, "never above log2 k");
});

test("restart tests (§3.1.4): independent restarts pass; restarts that replay the same samples fail", () => {
  const rows = 64, cols = 64;
  const good = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) good.set(take({ kind: "healthy", seed: "restart" + r }, cols), r * cols);
  const hI = 6;
  const ok = restartTests(good, rows, 8, hI);
  assert.ok(ok.sanityPassed && ok.validationPassed, JSON.stringify(ok));
  assert.equal(ok.h, Math.min(hI, ok.hRow, ok.hColumn));
  // A device whose source restarts at the same state every boot: every column is constant.
  const same = new Uint8Array(rows * cols), row = take({ kind: "healthy", seed: "boot" }, cols);
  for (let r = 0; r < rows; r++) same.set(row, r * cols);
  const bad = restartTests(same, rows, 8, hI);
  assert.equal(bad.sanityPassed, false);
  assert.equal(bad.maxCount, rows);
  assert.equal(bad.h, 0);
  assert.equal(critBinom(1000, 0.5, 0.01 / 2000) > 500, true);
});

test("npm run entropy: a file, restart data, and the simulated capture path", async () => {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-entropy-"));
  try {
    const out: string[] = [];
    const r = await capture({ board: "esp32", port: null, out: join(dir, "e.bin"), samples: 8000, restarts: 40, rowSamples: 50 });
    assert.equal(readFileSync(r.file).length, 8000);
    assert.equal(readFileSync(r.restartFile!).length, 2000);
    assert.equal(await main([r.file], (l) => out.push(l)), 0);
    const text = out.join("\n");
    for (const name of ["most common value", "collision", "Markov", "compression", "t-tuple", "longest repeated substring", "MultiMCW", "Lag", "MultiMMC", "LZ78Y"])
      assert.ok(text.includes(name), name);
    assert.match(text, /min-entropy: \d\.\d{6} bits per sample/);
    out.length = 0;
    assert.equal(await main([r.file, "--restart", r.restartFile!, "--rows", "40"], (l) => out.push(l)), 0);
    assert.match(out.join("\n"), /restart tests .* on 40 × 50/);
    // The board path: the script goes to `espruino -p PORT FILE`; a stand-in CLI runs it over the simulated register.
    const fake = join(dir, "fake-espruino.ts");
    writeFileSync(fake, `import { readFileSync } from "node:fs";
import { runSimulated } from ${JSON.stringify(join(process.cwd(), "tools/entropy/capture.node.ts"))};
import { loadBoard } from ${JSON.stringify(join(process.cwd(), "build/boards.ts"))};
const a = process.argv.slice(2);
if (a[0] !== "-p" || a[1] !== "/dev/ttyFAKE") { console.error("bad args " + a.join(" ")); process.exit(2); }
console.log("Connecting to " + a[1] + "\\n" + runSimulated(loadBoard("esp32"), readFileSync(a[2], "utf8"), "fake").split("\\n").map((l) => ">" + l).join("\\n"));
`);
    const saved = process.env.ESPRUINO_CLI;
    process.env.ESPRUINO_CLI = `${process.execPath} --import tsx ${fake}`;
    try {
      const b = await capture({ board: "esp32", port: "/dev/ttyFAKE", out: join(dir, "b.bin"), samples: 3000 });
      assert.equal(readFileSync(b.file).length, 3000);
    } finally {
      if (saved === undefined) delete process.env.ESPRUINO_CLI;
      else process.env.ESPRUINO_CLI = saved;
    }
    writeFileSync(join(dir, "small.bin"), new Uint8Array(100));
    await assert.rejects(main([join(dir, "small.bin")]), /at least 2000/);
    await assert.rejects(capture({ board: "nrf52840-jerry", port: null }), /Espruino boards/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
