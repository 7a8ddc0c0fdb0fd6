/** RFC 7748 §5.2's 1 000 000-iteration result on the host build of the kernel (about 2 minutes). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildHostKernel } from "../../../build/accel-kernel.ts";
import { iteratedCases, runLines } from "./runners.ts";

test("host build: RFC 7748 §5.2 iterated 1 000 000 rounds", () => {
  const { runner } = buildHostKernel();
  const c = iteratedCases(1000000).filter((x) => x.n === 1000000);
  assert.equal(c.length, 1);
  assert.deepEqual(runLines(runner, [], [`i ${c[0].n}`]), [c[0].want]);
});
