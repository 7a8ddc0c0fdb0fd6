/**
 * The reporter of `npm test` (node:test custom reporter): one line per test file as it ends (status,
 * seconds, counts, [done/total]), each failure as it happens, then a summary (failures again with
 * their errors, the slowest files) and node's own closing lines (`# tests N`, `# pass N`,
 * `# fail N`, …) so CI reads the same totals. The full TAP goes to .test-results/tap.txt.
 * Plain JavaScript: node loads reporters before tsx's hooks.
 */
import { relative } from "node:path";

const total = Number(process.env.FIRSTLIGHT_TEST_FILES ?? 0);

/** @param {any} err */
function errorText(err) {
  const m = err?.cause?.message ?? err?.message ?? String(e);
  return String(m).split("\n").slice(0, 12).join("\n      ");
}

/** @param {AsyncIterable<any>} source */
export default async function* compactReporter(source) {
  const perFile = new Map();
  /** @type {string[]} */
  const failures = [];
  /** @type {{ file: string, ms: number, failed: boolean }[]} */
  const files = [];
  /** @type {string[]} */
  const closing = [];
  const t0 = Date.now();
  const rel = (/** @type {string | undefined} */ f) => (f ? relative(process.cwd(), f) : "?");
  for await (const ev of source) {
    const d = ev.data ?? {};
    const isFile = d.file !== undefined && d.name === d.file;
    if ((ev.type === "test:pass" || ev.type === "test:fail") && !isFile) {
      const c = perFile.get(d.file ?? "?") ?? { pass: 0, fail: 0, skip: 0 };
      perFile.set(d.file ?? "?", c);
      if (ev.type === "test:fail") {
        c.fail++;
        const line = `  ✗ ${rel(d.file)} › ${d.name}\n      ${errorText(d.details?.error)}`;
        failures.push(line);
        yield line + "\n";
      } else if (d.skip || d.todo) c.skip++;
      else c.pass++;
    } else if (ev.type === "test:fail" && isFile) {
      // The file itself failed (it did not load, or exited non-zero outside a test).
      const line = `  ✗ ${rel(d.file)}\n      ${errorText(d.details?.error)}`;
      failures.push(line);
      yield line + "\n";
    }
    if (ev.type === "test:complete" && isFile) {
      const c = perFile.get(d.file) ?? { pass: 0, fail: 0, skip: 0 };
      const ms = d.details?.duration_ms ?? 0;
      const failed = c.fail > 0 || !!d.details?.error;
      files.push({ file: rel(d.file), ms, failed });
      const counts = `${c.pass} passed${c.fail ? `, ${c.fail} failed` : ""}${c.skip ? `, ${c.skip} skipped` : ""}`;
      yield `${failed ? "FAIL" : "ok  "} ${(ms / 1000).toFixed(1).padStart(6)} s  ${rel(d.file)}  (${counts})  [${files.length}${total ? "/" + total : ""}, ${((Date.now() - t0) / 1000).toFixed(0)} s]\n`;
    }
    if (ev.type === "test:diagnostic" && d.file === undefined && (d.nesting ?? 0) === 0 && d.message !== undefined) closing.push(`# ${d.message}`);
  }
  yield "\n── summary ──\n";
  const slow = [...files].sort((a, b) => b.ms - a.ms).slice(0, 5);
  yield `slowest files: ${slow.map((f) => `${f.file} ${(f.ms / 1000).toFixed(1)} s`).join(" · ")}\n`;
  if (failures.length) yield `${failures.length} failure(s):\n${failures.join("\n")}\n`;
  else yield "no failures\n";
  yield "full TAP log: .test-results/tap.txt\n";
  for (const l of closing) yield l + "\n";
}
