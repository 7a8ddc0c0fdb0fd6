/**
 * Every self-test vector on the JerryScript port, in the build's pieces
 * (ports/jerryscript/host/selftest.node.ts), every suite on the board's 64 KB heap. Long: sha512 and
 * rfc7748 take minutes each on JerryScript. (The 1 000 000-iteration X25519 check stays for
 * builds with --full-vectors: hours.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runJerrySelftest } from "../../../ports/jerryscript/host/selftest.node.ts";

test("64 KB heap, every suite, every piece: N passed, 0 failed", { timeout: 3_600_000 }, async () => {
  const r = await runJerrySelftest({ heapKb: 64 });
  assert.equal(r.failed, 0, r.suites.flatMap((s) => s.failures).join("\n"));
  assert.match(r.line, /^\d+ passed, 0 failed$/);
  assert.ok(r.suites.every((s) => s.heapKb === 64 && s.heapPeak <= 64 * 1024), JSON.stringify(r.suites.map((s) => [s.suite, s.heapKb, s.heapPeak])));
  console.log(`JerryScript self-test: ${r.suites.map((s) => `${s.suite} ${s.passed} (${s.pieces} pieces, peak ${s.heapPeak} B)`).join("; ")}`);
  console.log(r.line);
});
