/** test-sim/engines/tools.ts: the one rule for tests that need a Debian program. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { installHint, missingTool, TOOLS } from "./tools.ts";

TOOLS["firstlight-absent"] = { command: "firstlight-no-such-program", probe: [], expect: "1", debianPackage: "firstlight-absent-pkg" };

test("a missing program: the skip reason names the Debian package; in CI it fails instead", () => {
  const ci = process.env.CI;
  try {
    delete process.env.CI;
    assert.equal(missingTool("firstlight-absent"), "firstlight-no-such-program is not installed: apt-get install firstlight-absent-pkg (Debian package firstlight-absent-pkg; .ci/run installs it)");
    process.env.CI = "1";
    assert.throws(() => missingTool("firstlight-absent"), /apt-get install firstlight-absent-pkg .*CI must install it/);
  } finally {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  }
  assert.match(installHint("duk"), /apt-get install duktape/);
});

test(".ci/run installs every package the tools table names", async () => {
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { ROOT } = await import("../../build/paths.ts");
  const line = readFileSync(join(ROOT, ".ci/run"), "utf8").split("\n").find((l) => l.includes("apt-get install"))!;
  for (const [name, t] of Object.entries(TOOLS)) if (name !== "firstlight-absent") assert.ok(t.debianPackage.split(" ").every((p) => line.split(/\s+/).includes(p)), `${t.debianPackage} missing from: ${line}`);
});
