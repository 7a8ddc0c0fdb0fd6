/** tools/web/build.node.ts: `--out DIR` is emptied before a build only when it holds a web build. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWeb } from "../../../tools/web/build.node.ts";

test("web build: an --out folder that holds anything else (a state folder with its master key) is refused, not emptied", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fl-web-out-"));
  try {
    // `npm run web -- --build --out .firstlight` by mistake: the registry and the keys must survive.
    const state = join(dir, ".firstlight");
    mkdirSync(state);
    writeFileSync(join(state, "master.key"), "00".repeat(32) + "\n", { mode: 0o600 });
    writeFileSync(join(state, "registry.db"), "");
    await assert.rejects(buildWeb({ out: state }), /master\.key.*not a web build/);
    assert.deepEqual(readdirSync(state).sort(), ["master.key", "registry.db"]);

    // A folder with an earlier build in it is built over; an absent or empty one is made.
    const web = join(dir, "web");
    await buildWeb({ out: web });
    await buildWeb({ out: web });
    assert.ok(existsSync(join(web, "index.html")) && existsSync(join(web, "app.js")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
