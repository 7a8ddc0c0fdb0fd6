import { defineSelftests } from "./selftest.ts";
import { runDuk } from "./duk.ts";

defineSelftests("duktape", async (file) => {
  const r = await runDuk([file]);
  return { stdout: r.stdout, error: r.code === 0 ? undefined : `exit ${r.code}: ${r.stderr}` };
});
