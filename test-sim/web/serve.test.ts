/**
 * `npm run web`'s static server (tools/web/serve.node.ts): the built files with their types and
 * a Content-Security-Policy, nothing outside the folder, no listing, GET and HEAD only; and the
 * port rule (8080, else the next free one, unless a port was asked for).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listenFirstFree, staticServer } from "../../tools/web/serve.node.ts";

test("the static server: files with their type and CSP; nothing outside the folder; GET and HEAD only", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fl-web-serve-"));
  const site = join(dir, "site");
  mkdirSync(site);
  writeFileSync(join(site, "index.html"), "<!doctype html><title>x</title>");
  writeFileSync(join(site, "app.js"), "export {}");
  writeFileSync(join(dir, "secret.js"), "no");
  const server = staticServer(site);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const index = await fetch(base + "/");
    assert.equal(index.status, 200);
    assert.match(index.headers.get("content-type")!, /^text\/html/);
    assert.match(index.headers.get("content-security-policy")!, /default-src 'self'/);
    assert.match((await fetch(base + "/app.js")).headers.get("content-type")!, /^text\/javascript/);
    for (const path of ["/../secret.js", "/%2e%2e/secret.js", "/..%2fsecret.js", "/missing.js", "/site/"]) assert.equal((await fetch(base + path)).status, 404, path);
    assert.equal((await fetch(base + "/app.js", { method: "POST", body: "x" })).status, 405);
    assert.equal((await fetch(base + "/app.js", { method: "HEAD" })).status, 200);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the static server: no other site may frame the commissioner (clickjacking of pairing, rotation, decommission)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fl-web-frame-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>x</title>");
  const server = staticServer(dir);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  try {
    const r = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    assert.match(r.headers.get("content-security-policy")!, /frame-ancestors 'none'/);
    assert.equal(r.headers.get("x-frame-options"), "DENY");
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the port: a taken default moves to the next free one; a taken port asked for is an error", async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
  const port = (taken.address() as { port: number }).port;
  const a = createServer(), b = createServer();
  try {
    const got = await listenFirstFree(a, port, false);
    assert.notEqual(got, port);
    await assert.rejects(listenFirstFree(b, port, true), (e: NodeJS.ErrnoException) => e.code === "EADDRINUSE");
  } finally {
    for (const s of [taken, a]) await new Promise<void>((r) => s.close(() => r()));
  }
});
