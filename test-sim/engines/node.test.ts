import { defineSelftests } from "./selftest.ts";
import { runNodeScripts } from "./node.ts";

defineSelftests("node", async (_file, code) => {
  try {
    return { stdout: runNodeScripts([code]).stdout };
  } catch (e) {
    return { stdout: "", error: String(e) };
  }
});
