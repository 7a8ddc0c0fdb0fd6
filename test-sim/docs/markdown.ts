/** Reading the repository's Markdown for the docs tests: the files, their links, their headings' anchors. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";

/** README.md and every docs/*.md, relative to the repository. */
export function markdownFiles(): string[] {
  return ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => "docs/" + f)];
}

export function readDoc(rel: string): string {
  return readFileSync(join(ROOT, rel), "utf8");
}

/** The text outside fenced code blocks and inline code (links there are examples, not links). */
export function prose(md: string): string {
  return md.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "``");
}

/** Every `[text](target)` link outside code: its target and line. */
export function links(md: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  prose(md).split("\n").forEach((l, i) => {
    for (const m of l.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ target: m[1], line: i + 1 });
  });
  return out;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/`/g, "").replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

export function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of md.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const a = anchorOf(m[1]);
    const n = seen.get(a) ?? 0;
    seen.set(a, n + 1);
    out.add(n ? `${a}-${n}` : a);
  }
  return out;
}
