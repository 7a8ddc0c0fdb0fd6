/**
 * RFC 7748 §5.2's iterated test, 1 000 rounds, on the Cortex-M4 blob under Unicorn (about 25 s of
 * one core: 1.2 G emulated instructions). A file of its own so the test runner overlaps it with
 * other files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCortexBlob } from "../../../build/accel-kernel.ts";
import { iteratedCases, runLines, unicornPython, UNICORN_RUNNER } from "./runners.ts";

test("Cortex-M4 blob under Unicorn: RFC 7748 §5.2 iterated, 1 and 1 000 rounds", () => {
  const b = buildCortexBlob("cortex-m4");
  const its = iteratedCases(1000);
  assert.equal(its.length, 2);
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", "0x00031000"], its.map((c) => `i ${c.n}`));
  assert.deepEqual(out, its.map((c) => c.want));
});
