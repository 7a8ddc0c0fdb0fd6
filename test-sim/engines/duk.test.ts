import { test } from "node:test";
import { defineSelftests } from "./selftest.ts";
import { runDuk } from "./duk.ts";
import { missingTool } from "./tools.ts";

const missing = missingTool("duk");
if (missing) test("duktape: the built image's self-tests", { skip: missing }, () => {});
else
  defineSelftests("duktape", async (file) => {
    const r = await runDuk([file]);
    return { stdout: r.stdout, error: r.code === 0 ? undefined : `exit ${r.code}: ${r.stderr}` };
  });
