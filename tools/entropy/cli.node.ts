/**
 * `npm run entropy -- FILE [--bits N] [--restart FILE [--rows N]] [--json]`
 *   SP 800-90B §6.3 non-IID estimates on FILE (raw samples, one per byte, as NIST's ea_non_iid
 *   reads them), each estimate and the minimum, and with --restart the §3.1.4 restart tests on a
 *   rows × columns matrix (row i = the samples after restart i; default 1000 rows).
 * `npm run entropy -- --capture --board NAME --port PORT [--out FILE] [--samples N] [--restarts R]`
 *   reads raw samples from a real board through the espruino CLI (tools/entropy/capture.node.ts).
 * `npm run entropy -- --capture --board NAME --sim [...]` does the same from the board's simulated source.
 * docs/entropy.md, "Estimating a source".
 */
import { readFileSync } from "node:fs";
import { assess, restartTests, type Assessment } from "./sp800-90b.ts";
import { capture } from "./capture.node.ts";

const USAGE = `usage: npm run entropy -- FILE [--bits N] [--restart FILE [--rows N]] [--json]
       npm run entropy -- --capture --board NAME (--port PORT | --sim) [--out FILE] [--samples N] [--restarts R] [--source trng|jitter]`;

function fmt(h: number): string {
  return Number.isNaN(h) ? "n/a" : h.toFixed(6);
}

export function report(a: Assessment, file: string): string {
  const out = [`${file}: ${a.samples} samples of ${a.bits} bit(s)`];
  out.push("  estimates on the samples (bits per sample):");
  for (const e of a.original) out.push(`    ${e.name.padEnd(38)} ${fmt(e.h)}${e.note ? "  (" + e.note + ")" : ""}`);
  if (a.bitstring.length) {
    out.push("  estimates on the bitstring (bits per bit; §3.1.3, first 10^6 bits):");
    for (const e of a.bitstring) out.push(`    ${e.name.padEnd(38)} ${fmt(e.h)}${e.note ? "  (" + e.note + ")" : ""}`);
  }
  out.push(`  H_original ${fmt(a.hOriginal)}, ${a.bits} × H_bitstring ${Number.isFinite(a.hBitstring) ? fmt(a.hBitstring) : "n/a"}`);
  out.push(`  min-entropy: ${fmt(a.h)} bits per sample`);
  return out.join("\n");
}

export async function main(argv: string[], print: (s: string) => void = console.log): Promise<number> {
  const o: Record<string, string | boolean> = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json" || a === "--capture" || a === "--sim") o[a.slice(2)] = true;
    else if (a.startsWith("--")) {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      o[a.slice(2)] = argv[++i];
    } else files.push(a);
  }
  if (o.capture) {
    if (typeof o.board !== "string") throw new Error("--capture needs --board NAME");
    if (!o.sim && typeof o.port !== "string") throw new Error("--capture needs --port PORT (or --sim)");
    const r = await capture({
      board: o.board,
      port: typeof o.port === "string" ? o.port : null,
      out: typeof o.out === "string" ? o.out : undefined,
      samples: o.samples ? Number(o.samples) : undefined,
      restarts: o.restarts ? Number(o.restarts) : undefined,
      source: o.source === "jitter" ? "jitter" : "trng",
      log: print,
    });
    print(`wrote ${r.samples} samples to ${r.file}${r.restartFile ? ` and ${r.restarts} restarts to ${r.restartFile}` : ""}`);
    return 0;
  }
  if (files.length !== 1) throw new Error("give one sample file");
  const bits = o.bits ? Number(o.bits) : 8;
  const data = new Uint8Array(readFileSync(files[0]));
  if (data.length < 2000) throw new Error(`${files[0]}: ${data.length} samples; the estimators need at least 2000 (90B asks for 10^6)`);
  const a = assess(data, bits);
  let h = a.h;
  let restart: ReturnType<typeof restartTests> | null = null;
  if (typeof o.restart === "string") {
    const m = new Uint8Array(readFileSync(o.restart));
    restart = restartTests(m, o.rows ? Number(o.rows) : 1000, bits, a.h);
    h = restart.h;
  }
  if (o.json) print(JSON.stringify({ file: files[0], ...a, restart, h }));
  else {
    print(report(a, files[0]));
    if (restart) {
      print(`  restart tests (§3.1.4) on ${restart.rows} × ${restart.columns}:`);
      print(`    sanity check: most common value ${restart.maxCount} times in a row or column, cutoff ${restart.cutoff}: ${restart.sanityPassed ? "passed" : "FAILED"}`);
      print(`    row data ${fmt(restart.hRow)}, column data ${fmt(restart.hColumn)}, ≥ H_I/2 = ${fmt(a.h / 2)}: ${restart.validationPassed ? "passed" : "FAILED"}`);
      print(`  min-entropy after the restart tests: ${fmt(h)} bits per sample`);
    }
  }
  return restart && !(restart.sanityPassed && restart.validationPassed) ? 1 : 0;
}

if (process.argv[1]?.endsWith("cli.node.ts")) {
  main(process.argv.slice(2)).then(
    (c) => process.exit(c),
    (e) => {
      console.error(`entropy: ${(e as Error).message}\n${USAGE}`);
      process.exit(2);
    },
  );
}
