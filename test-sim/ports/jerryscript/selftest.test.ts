/**
 * The self-test on the JerryScript port's 64 KB heap, its vectors fed in the build's pieces
 * (ports/jerryscript/host/selftest.node.ts): the first pieces of every suite that runs in seconds.
 * Every suite, every piece, is test-sim/ports/jerryscript/selftest.soak.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runJerrySelftest } from "../../../ports/jerryscript/host/selftest.node.ts";

// sha256 and sha512 are left to the soak: their Monte Carlo chains travel whole in the first piece (minutes on JerryScript).
const QUICK = ["aead", "bytes", "chacha20", "entropy", "hmac", "hmac-drbg", "poly1305", "x25519"];

test("64 KB heap: the first two pieces of the quick suites, N passed, 0 failed", { timeout: 180_000 }, async () => {
  const r = await runJerrySelftest({ suites: QUICK, heapKb: 64, maxPieces: 2 });
  const failures = r.suites.flatMap((s) => s.failures);
  assert.equal(r.failed, 0, failures.join("\n"));
  assert.ok(r.passed > 150, r.line);
  assert.match(r.line, /^\d+ passed, 0 failed$/);
  assert.ok(r.maxHeapPeak <= 64 * 1024, `heap peak ${r.maxHeapPeak}`);
});
