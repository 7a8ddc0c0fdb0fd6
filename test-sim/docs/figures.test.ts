/**
 * Image sizes quoted in README.md and docs/*.md equal the build's (dist/images.json, written by
 * every build). The rule a figure follows to be checked — and every image size in the docs must
 * follow it, so none can go stale unseen:
 *
 *   `dist/firstlight-NAME.js` … N bytes|B [minified] … (M [B] gzip)     or     NAME image … N B … (M B gzip)
 *
 * with N (and M) written with a space between thousands, within the same sentence. Benchmark
 * figures are not here: they live in one place, docs/engines.md and docs/crypto.md, from one
 * `npm run bench` run, and the README links to them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DIST } from "../../build/paths.ts";
import { markdownFiles, readDoc } from "./markdown.ts";

interface Claim { file: string; image: string; bytes: number; gzip?: number; text: string }

const NUMBER = String.raw`(\d{1,3}(?: \d{3})*)`;
const CLAIM = new RegExp(String.raw`(?:\x60dist/firstlight-([a-z0-9-]+)\.js\x60|\b([a-z0-9-]+)(?: core)? image\b)[^.\n]{0,80}?\b${NUMBER} (?:B|bytes)\b(?:[^.]{0,30}?\(${NUMBER}(?: B)? gzip)?`, "g");

export function claims(file: string, text: string, images: string[]): Claim[] {
  const out: Claim[] = [];
  for (const m of text.matchAll(CLAIM)) {
    const image = m[1] ?? m[2];
    if (!images.includes(image)) continue;
    out.push({ file, image, bytes: Number(m[3].replace(/ /g, "")), gzip: m[4] ? Number(m[4].replace(/ /g, "")) : undefined, text: m[0].replace(/\s+/g, " ") });
  }
  return out;
}

const built = existsSync(join(DIST, "images.json"));

test("image sizes in README.md and docs/*.md are the built ones", { skip: !built && "dist/images.json is missing: run npm run build" }, () => {
  const sizes = JSON.parse(readFileSync(join(DIST, "images.json"), "utf8")) as { name: string; bytes: number; gzip: number }[];
  const names = sizes.map((s) => s.name);
  const all = markdownFiles().flatMap((f) => claims(f, readDoc(f), names));
  assert.ok(all.length >= 2, `the docs quote image sizes in the checked form (found ${all.length})`);
  const wrong: string[] = [];
  for (const c of all) {
    const s = sizes.find((x) => x.name === c.image)!;
    if (c.bytes !== s.bytes) wrong.push(`${c.file}: "${c.text}" says ${c.bytes} B, the build makes ${s.bytes} B`);
    if (c.gzip !== undefined && c.gzip !== s.gzip) wrong.push(`${c.file}: "${c.text}" says ${c.gzip} B gzip, the build makes ${s.gzip} B`);
  }
  assert.deepEqual(wrong, []);
});

test("the figure rule reads both forms and the gzip beside them", () => {
  const names = ["crypto", "device"];
  const c = claims("x", "`dist/firstlight-crypto.js` (the core alone) is 19 698 bytes minified\n(9 060 gzip); the goal", names);
  assert.deepEqual(c.map((x) => [x.image, x.bytes, x.gzip]), [["crypto", 19698, 9060]]);
  const d = claims("x", "| crypto core image ≤ 16 KB minified | 19 698 B (9 060 B gzip; was 25 674 B) |", names);
  assert.deepEqual(d.map((x) => [x.image, x.bytes, x.gzip]), [["crypto", 19698, 9060]]);
  assert.deepEqual(claims("x", "the device image is 103 133 B minified", names).map((x) => x.bytes), [103133]);
  assert.deepEqual(claims("x", "the flash image is 4 096 B", names), [], "not an image of the build");
});
