/**
 * The binding of the native kernel on the JerryScript port's release build (accel-binding.ts):
 * every function of firstlight_native's accelerator part against @noble, in-place outputs, a forged
 * tag refused, and bad arguments refused with NATIVE_BAD_ARGUMENT. The ASan + UBSan build runs the
 * same cases in sanitizers.soak.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildPort } from "../../../ports/jerryscript/host/build.node.ts";
import { runBindingCases } from "./accel-binding.ts";

test("firstlight_native's kernel functions on the real binding: answers, in-place outputs, refusals", () => {
  const port = buildPort();
  assert.ok(port.accel, "the port was built without the kernel");
  const r = runBindingCases(port);
  assert.equal(r.count, 77);
  assert.deepEqual(r.failures, []);
});
