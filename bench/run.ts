/**
 * `npm run bench`: runs every bench/*.bench.ts that exports `run(): Promise<BenchRow[]>` (after
 * the build, on the built images) and prints one table per bench file and section, with each
 * peer's figure and the ratio ours/peer beside ours, then every target with met / missed.
 * Benches only print; nothing here asserts a timing.
 *
 *   tsx bench/run.ts [FILTER…]   only the bench files whose name contains a filter
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../build/paths.ts";

export interface BenchRow {
  name: string;
  engine: string;
  value: number;
  unit: string;
  note?: string;
  /** A heading inside the bench file's table; rows without one go under the file's name. */
  section?: string;
  /** The same measure of other implementations in the same run, same unit: ratio = value / peer. */
  peers?: { name: string; value: number }[];
  /** A goal this row is judged against. */
  target?: { goal: string; met: boolean };
}

const fmt = (v: number): string =>
  Number.isNaN(v) ? "–" : Number.isInteger(v) || Math.abs(v) >= 1e5 ? Math.round(v).toLocaleString("en-US") : Number(v.toPrecision(4)).toString();
const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) + "×" : "–");

/** A plain-text table; column `right` (the figures) is right-aligned. */
function table(head: string[], rows: string[][], right = -1): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === right ? c.padStart(w[i]) : c.padEnd(w[i]))).join("  ").trimEnd();
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

/** One table per section: engine, measure, ours, unit, then per peer its figure and ours/peer. */
export function formatRows(title: string, rows: BenchRow[]): string {
  const out: string[] = [];
  const sections: string[] = [];
  for (const r of rows) if (sections.indexOf(r.section ?? title) < 0) sections.push(r.section ?? title);
  for (const s of sections) {
    const rs = rows.filter((r) => (r.section ?? title) === s);
    const peers: string[] = [];
    for (const r of rs) for (const p of r.peers ?? []) if (peers.indexOf(p.name) < 0) peers.push(p.name);
    const head = ["engine", "measure", "value", "unit"];
    for (const p of peers) head.push(p, `ours/${p}`);
    head.push("note");
    const cells = rs.map((r) => {
      const c = [r.engine, r.name, fmt(r.value), r.unit];
      for (const p of peers) {
        const pr = (r.peers ?? []).find((x) => x.name === p);
        c.push(pr ? fmt(pr.value) : "", pr ? `ours/${p} = ${ratio(r.value, pr.value)}` : "");
      }
      c.push(r.note ?? "");
      return c;
    });
    out.push(`== ${s}\n${table(head, cells, 2)}`);
  }
  return out.join("\n\n");
}

export function formatTargets(rows: BenchRow[]): string {
  const t = rows.filter((r) => r.target);
  if (t.length === 0) return "";
  return "== targets\n" + table(
    ["result", "target", "measured"],
    t.map((r) => [r.target!.met ? "met" : "MISSED", r.target!.goal, `${fmt(r.value)} ${r.unit}${r.note ? " (" + r.note + ")" : ""}`]),
  );
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const files = readdirSync(join(ROOT, "bench"))
    .filter((f) => f.endsWith(".bench.ts") && (filters.length === 0 || filters.some((x) => f.includes(x))))
    .sort((a, b) => (a === "crypto.bench.ts" ? -1 : b === "crypto.bench.ts" ? 1 : a.localeCompare(b)));
  const all: BenchRow[] = [];
  const t0 = Date.now();
  for (const f of files) {
    const title = f.replace(/\.bench\.ts$/, "");
    const mod = (await import(pathToFileURL(join(ROOT, "bench", f)).href)) as { run?: () => Promise<BenchRow[]> | BenchRow[] };
    if (typeof mod.run !== "function") continue;
    const t1 = Date.now();
    try {
      const rows = await mod.run();
      all.push(...rows);
      console.log(formatRows(title, rows));
      console.log(`(${title}: ${((Date.now() - t1) / 1000).toFixed(1)} s)\n`);
    } catch (e) {
      process.exitCode = 1;
      console.log(`== ${title}: FAILED: ${(e as Error).stack ?? e}\n`);
    }
  }
  const targets = formatTargets(all);
  if (targets) console.log(targets + "\n");
  console.log(`bench done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, "bench/run.ts")) {
  main().catch((e) => {
    console.error((e as Error).stack ?? e);
    process.exit(1);
  });
}
