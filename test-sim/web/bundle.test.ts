/**
 * The web commissioner's size as docs/web-commissioner.md quotes it ("about N KB minified (M KB
 * gzip)" for the page's script, then for jsQR's chunk), within 5 % of a fresh build: a change that
 * grows or shrinks the bundle by more must update the doc.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { buildWeb } from "../../tools/web/build.node.ts";

test("the bundle sizes docs/web-commissioner.md quotes are the build's, within 5 %", async () => {
  const doc = readFileSync(join(ROOT, "docs", "web-commissioner.md"), "utf8");
  const quoted = [...doc.matchAll(/about (\d+) KB minified \((\d+) KB gzip\)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(quoted.length, 2, "the doc quotes the page's script and the QR chunk as 'about N KB minified (M KB gzip)'");
  const dir = mkdtempSync(join(tmpdir(), "fl-web-size-"));
  try {
    const b = await buildWeb({ out: dir });
    const built = [b.app, b.lazy].map((x) => [x.bytes / 1024, x.gzip / 1024]);
    for (const [i, what] of ["the page's script", "the QR decoder"].entries())
      for (const j of [0, 1])
        assert.ok(Math.abs(built[i][j] - quoted[i][j]) <= 0.05 * built[i][j], `${what}: the doc says ${quoted[i][j]} KB ${j ? "gzip" : "minified"}, the build is ${built[i][j].toFixed(1)} KB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
