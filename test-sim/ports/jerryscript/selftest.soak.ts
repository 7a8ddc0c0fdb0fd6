/**
 * Every self-test vector on the JerryScript port, in pieces (ports/jerryscript/host/selftest.node.ts):
 * every suite on the board's 64 KB heap, except `entropy` and `store`, whose own work (a 32 KB
 * simulated flash, the health-test windows) needs 96 KB and runs there. The x25519 suite ends with a
 * whole-suite check ("all 518 tests, 31 with a zero shared secret") that no piece can satisfy; it
 * is the one failure allowed, once per x25519 piece, and the summary says so. Long: rfc7748's
 * 1 000 iterations alone take minutes on JerryScript.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { listSuites } from "../../../build/selftest.ts";
import { runJerrySelftest } from "../../../ports/jerryscript/host/selftest.node.ts";

const BIGGER_HEAP = ["entropy", "store"];
const WHOLE_SUITE_CHECK = "FAIL x25519: all 518 tests, 31 with a zero shared secret";

test("every suite in pieces: 64 KB (entropy and store: 96 KB)", { timeout: 3_600_000 }, async () => {
  const small = await runJerrySelftest({ suites: listSuites().filter((s) => !BIGGER_HEAP.includes(s)), heapKb: 64 });
  const big = await runJerrySelftest({ suites: BIGGER_HEAP, heapKb: 96 });
  const pieces = [...small.pieces, ...big.pieces];
  const failures = pieces.flatMap((p) => p.failures);
  const unexpected = failures.filter((f) => f !== WHOLE_SUITE_CHECK);
  assert.deepEqual(unexpected, []);
  const x25519Pieces = pieces.filter((p) => p.suite === "x25519").length;
  assert.equal(failures.length, x25519Pieces);
  const passed = small.passed + big.passed, failed = small.failed + big.failed;
  console.log(`JerryScript self-test in ${pieces.length} pieces: ${passed} passed, ${failed} failed ` +
    `(every failure is x25519's whole-suite count, once per piece); heap peak ${small.maxHeapPeak} B of 64 KB, ${big.maxHeapPeak} B of 96 KB`);
});
