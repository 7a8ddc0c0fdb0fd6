/**
 * Every self-test vector on the JerryScript port, in the build's pieces
 * (ports/jerryscript/host/selftest.node.ts): every suite on the board's 64 KB heap, except those
 * whose one-off work does not fit there (JerryScript's fatal out-of-memory on 64 KB): `entropy`,
 * `store` (a 32 KB simulated flash) and `sha256` (its first piece carries the Monte Carlo chain and
 * the longest messages) on 96 KB, `sha512` on 128 KB, `hkdf` (its checks expand 8 160- and
 * 16 320-byte keys) on 256 KB. Long: sha512 and rfc7748 take minutes each on JerryScript.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runJerrySelftest } from "../../../ports/jerryscript/host/selftest.node.ts";

test("every suite, every piece: N passed, 0 failed (64 KB; a few suites on more, see above)", { timeout: 3_600_000 }, async () => {
  const r = await runJerrySelftest({ heapKb: 64, heapFor: { entropy: 96, store: 96, sha256: 96, sha512: 128, hkdf: 256 } });
  assert.equal(r.failed, 0, r.suites.flatMap((s) => s.failures).join("\n"));
  console.log(`JerryScript self-test: ${r.suites.map((s) => `${s.suite} ${s.passed} (${s.pieces} pieces, ${s.heapKb} KB, peak ${s.heapPeak} B)`).join("; ")}`);
  console.log(r.line);
});
