/**
 * Every link in README.md and docs/*.md leads somewhere: a relative link to a file or directory
 * that exists, and a #fragment to a heading of that file. Web links (http…, mailto:) are not
 * fetched (the tests run offline).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { anchorOf, anchors, links, markdownFiles, readDoc } from "./markdown.ts";

function broken(rel: string): string[] {
  const problems: string[] = [];
  for (const { target, line } of links(readDoc(rel))) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [path, fragment] = target.split("#", 2);
    const file = path === "" ? rel : normalize(join(dirname(rel), decodeURIComponent(path)));
    if (!existsSync(join(ROOT, file))) {
      problems.push(`${rel}:${line}: ${target} → ${file} does not exist`);
      continue;
    }
    if (fragment !== undefined && file.endsWith(".md") && !anchors(readDoc(file)).has(fragment))
      problems.push(`${rel}:${line}: ${target} → no heading with anchor #${fragment} in ${file}`);
  }
  return problems;
}

test("every relative link and #anchor in README.md and docs/*.md resolves", () => {
  const files = markdownFiles();
  assert.ok(files.length >= 5, "the docs were found");
  assert.deepEqual(files.flatMap(broken), []);
});

test("the link check finds what it should: a missing file, a missing anchor, and GitHub's anchors", () => {
  assert.equal(anchorOf("Memory floor on QuickJS"), "memory-floor-on-quickjs");
  assert.equal(anchorOf("§5 Mount and recovery"), "5-mount-and-recovery");
  assert.equal(anchorOf("2.2 `PAIR_HELLO` (C → D), body 96 bytes"), "22-pair_hello-c--d-body-96-bytes");
  assert.deepEqual(links("see [a](no-such.md) and `[b](in-code.md)`\n```\n[c](block.md)\n```\n[d](x.md#y)").map((l) => l.target), ["no-such.md", "x.md#y"]);
  assert.deepEqual([...anchors("# A\n## A\n```\n# not a heading\n```")], ["a", "a-1"]);
});
