/**
 * The self-test on the JerryScript port's 64 KB heap, in pieces (ports/jerryscript/host/selftest.node.ts):
 * the first piece of every suite that runs in seconds. Every suite, every piece, is
 * test-sim/ports/jerryscript/selftest.soak.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runJerrySelftest, splitVectors } from "../../../ports/jerryscript/host/selftest.node.ts";

const QUICK = ["aead", "bytes", "chacha20", "cpace", "hmac", "hmac-drbg", "poly1305", "sha256", "sha512"];

test("pieces keep the suite's shape and stay within the budget", () => {
  const data = { short: [["aa", "bb"], ["cc", "dd"], ["ee", "ff"]], monte: { seed: "00", mds: ["11", "22"] }, tag: 7 };
  const pieces = splitVectors(data, 40) as { short: string[][]; monte: { mds: string[] }; tag: number }[];
  assert.ok(pieces.length > 1);
  for (const p of pieces) assert.equal(p.tag, 7);
  assert.deepEqual(pieces.flatMap((p) => p.short), data.short);
  assert.equal(pieces.filter((p) => p.monte.mds.length).length, 1, "the chain rides in exactly one piece");
});

test("64 KB heap: the first piece of the quick suites, N passed, 0 failed", { timeout: 180_000 }, async () => {
  const r = await runJerrySelftest({ suites: QUICK, heapKb: 64, maxPiecesPerSuite: 1 });
  const failures = r.pieces.flatMap((p) => p.failures);
  assert.equal(r.failed, 0, failures.join("\n"));
  assert.ok(r.passed > 250, r.line);
  assert.match(r.line, /^\d+ passed, 0 failed$/);
  assert.ok(r.maxHeapPeak <= 64 * 1024, `heap peak ${r.maxHeapPeak}`);
});
