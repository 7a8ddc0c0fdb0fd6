/** build/inputs-hash.ts and the build's skip: an unchanged tree is not rebuilt, and says so. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { DIST, ROOT } from "../../build/paths.ts";
import { buildInputsHash, HASH_FILE, storedInputsHash } from "../../build/inputs-hash.ts";

test("the inputs hash is stable and covers the build's flags", () => {
  const a = buildInputsHash([]);
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(buildInputsHash([]), a);
  assert.notEqual(buildInputsHash(["--full-vectors"]), a);
});

test("an up-to-date tree: the build says so and writes nothing", { skip: !existsSync(HASH_FILE) && "no complete build yet" }, () => {
  assert.equal(storedInputsHash(), buildInputsHash([]), "npm test builds first, so the stored hash is current");
  const before = statSync(join(DIST, "firstlight-device.js")).mtimeMs;
  const r = spawnSync(process.execPath, ["--import", "tsx", "build/build.ts"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /build: up to date \(inputs unchanged since the last build/);
  assert.equal(statSync(join(DIST, "firstlight-device.js")).mtimeMs, before);
  const q = spawnSync(process.execPath, ["--import", "tsx", "build/build.ts", "--quiet"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(q.stdout + q.stderr, "", "quiet and up to date: silent");
  const bad = spawnSync(process.execPath, ["--import", "tsx", "build/build.ts", "--nosuch"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown argument "--nosuch"/);
});
