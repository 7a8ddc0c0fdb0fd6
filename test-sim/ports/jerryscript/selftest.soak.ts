/**
 * Every self-test vector on the JerryScript port, in the build's pieces
 * (ports/jerryscript/host/selftest.node.ts): every suite on the board's 64 KB heap, except
 * `entropy` and `store`, whose own work (a 32 KB simulated flash, the health-test windows) needs
 * 96 KB and runs there. Long: rfc7748's 1 000 iterations alone take minutes on JerryScript.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runJerrySelftest } from "../../../ports/jerryscript/host/selftest.node.ts";

test("every suite, every piece: N passed, 0 failed (64 KB; entropy and store 96 KB)", { timeout: 3_600_000 }, async () => {
  const r = await runJerrySelftest({ heapKb: 64, heapFor: { entropy: 96, store: 96 } });
  assert.equal(r.failed, 0, r.suites.flatMap((s) => s.failures).join("\n"));
  console.log(`JerryScript self-test: ${r.suites.map((s) => `${s.suite} ${s.passed} (${s.pieces} pieces, ${s.heapKb} KB, peak ${s.heapPeak} B)`).join("; ")}`);
  console.log(r.line);
});
