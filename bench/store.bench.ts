/**
 * Credential store figures (run: `npx tsx build/build.ts --quiet && npx tsx bench/store.bench.ts`):
 *  1. bytes of overhead per record (format arithmetic, and measured over a workload);
 *  2. erases per 1 000 updates of one key, on the Puck.js area (10 × 4 KB) and a small one;
 *  3. spread of erase counts across pages (max/mean) after a long run with cold keys;
 *  4. put/get/mount/rotateKey cost on Duktape (and Node, QuickJS): the built image over an in-image RAM NOR flash.
 * Counts run the TypeScript sources on the simulated flash (engine "sim"): they are exact.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST } from "../build/paths.ts";
import { SimFlash } from "../hal/sim/flash.ts";
import { openStore } from "../firmware/store/index.ts";
import { recordSize, sealedLength } from "../firmware/store/format.ts";
import { runDuk, dukAvailable } from "../test-sim/engines/duk.ts";
import { runNodeScripts } from "../test-sim/engines/node.ts";
import { runQuickJs } from "../test-sim/engines/quickjs.ts";

export interface BenchRow { name: string; engine: string; value: number; unit: string; note?: string; section?: string }

const ROOT = new Uint8Array(32).map((_, i) => i + 1);
function rnd(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0; b[i] = x >>> 24; } return b; };
}

const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

function overheadRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const [name, v] of [["wifi.psk", 32], ["identity.x25519", 32], ["k", 64]] as [string, number][]) {
    const total = recordSize(sealedLength(name.length, v));
    rows.push({ section: "space", name: `record overhead: ${name.length}-byte name, ${v}-byte value`, engine: "sim", value: total - v, unit: "B", note: `${total} B on flash (header 40 with its 16-byte salt, tag 16, name length 1, name, padding, commit 8)` });
  }
  // Measured: flash bytes used per record written, over a fresh store.
  const f = new SimFlash({ pageSize: 4096, pageCount: 10, writeSize: 4 });
  const s = openStore(f, ROOT, { random: rnd(1) });
  const r = rnd(2);
  for (let i = 0; i < 40; i++) s.put("cred." + i, r(32));
  const st = s.stats();
  rows.push({ section: "space", name: "flash bytes per 32-byte value (40 keys, 6-7-byte names)", engine: "sim", value: st.usedBytes / 40, unit: "B", note: "page headers not counted" });
  return rows;
}

function wearRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  const cases: [string, number, number][] = [["Puck.js area 10 × 4 KB", 4096, 10], ["small area 4 × 1 KB", 1024, 4]];
  for (const [label, P, N] of cases) {
    const f = new SimFlash({ pageSize: P, pageCount: N, writeSize: 4 });
    const s = openStore(f, ROOT, { random: rnd(3) });
    const r = rnd(4);
    for (let i = 0; i < 5; i++) s.put("cold." + i, r(32));
    const e0 = sum(f.eraseCounts());
    const U = 20000;
    for (let i = 0; i < U; i++) s.put("wifi.psk", r(32));
    const erases = sum(f.eraseCounts()) - e0;
    rows.push({ section: "wear", name: `erases per 1 000 updates of one key (32 B), ${label}`, engine: "sim", value: (erases * 1000) / U, unit: "erases", note: `${U} updates, 5 cold keys` });
    const st = s.stats();
    const data = st.eraseCounts.filter((_, p) => p !== st.keyPage);
    const mean = sum(data) / data.length;
    rows.push({ section: "wear", name: `erase-count spread max/mean, ${label}`, engine: "sim", value: Math.max(...data) / mean, unit: "×", note: `data pages ${data.join(",")}; key page ${st.eraseCounts[st.keyPage]}` });
  }
  return rows;
}

/** ES5 probe: a RAM NOR flash, then timed put/get/open on the image's store. Prints one JSON line. */
const PROBE = `
(function () {
  var P = 4096, N = 10, mem = new Uint8Array(P * N), i;
  for (i = 0; i < mem.length; i++) mem[i] = 255;
  var flash = {
    pageSize: P, pageCount: N, writeSize: 4,
    read: function (a, n) { var o = new Uint8Array(n); o.set(mem.subarray(a, a + n)); return o; },
    program: function (a, b) { for (var j = 0; j < b.length; j++) mem[a + j] &= b[j]; return null; },
    erase: function (p) { for (var j = p * P; j < (p + 1) * P; j++) mem[j] = 255; return null; }
  };
  var x = 1;
  function rnd(n) { var b = new Uint8Array(n); for (var j = 0; j < n; j++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; b[j] = x >>> 24; } return b; }
  var root = rnd(32), S = firstlight.store, out = {}, t0, n;
  t0 = Date.now(); var s = S.openStore(flash, root, { random: rnd }); out.formatMs = Date.now() - t0;
  for (i = 0; i < 8; i++) s.put("cred." + i, rnd(32));
  n = 0; t0 = Date.now();
  while (Date.now() - t0 < 2000 || n < 20) { s.put("cred." + (n % 8), rnd(32)); n++; }
  out.putMs = (Date.now() - t0) / n;
  n = 0; t0 = Date.now();
  while (Date.now() - t0 < 1000 || n < 20) { s.get("cred." + (n % 8)); n++; }
  out.getMs = (Date.now() - t0) / n;
  n = 0; t0 = Date.now();
  while (Date.now() - t0 < 1000 || n < 3) { S.openStore(flash, root); n++; }
  out.mountMs = (Date.now() - t0) / n;
  s = S.openStore(flash, root, { random: rnd });
  n = 0; t0 = Date.now();
  while (Date.now() - t0 < 1000 || n < 3) { s.rotateKey(); n++; }
  out.rotatePerRecordMs = (Date.now() - t0) / n / 8;
  (typeof print === "function" ? print : console.log)(JSON.stringify(out));
})();
`;

function probeRows(engine: string, stdout: string): BenchRow[] {
  const line = stdout.trim().split("\n").pop() ?? "{}";
  let r: Record<string, number>;
  try { r = JSON.parse(line); } catch { return [{ section: "speed", name: "store probe failed", engine, value: NaN, unit: "", note: line.slice(0, 200) }]; }
  const note = "10 × 4 KB RAM flash, 8 keys, 32-byte values";
  return [
    { section: "speed", name: "put (amortised, GC included)", engine, value: r.putMs, unit: "ms", note },
    { section: "speed", name: "get", engine, value: r.getMs, unit: "ms", note },
    { section: "speed", name: "mount (scan 10 pages, key check)", engine, value: r.mountMs, unit: "ms", note },
    { section: "speed", name: "first format", engine, value: r.formatMs, unit: "ms", note },
    { section: "speed", name: "key rotation, per stored record (re-seal, erases, new key page)", engine, value: r.rotatePerRecordMs, unit: "ms", note },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [...overheadRows(), ...wearRows()];
  const image = readFileSync(join(DIST, "firstlight-core.js"), "utf8");
  rows.push(...probeRows("node", runNodeScripts([image, PROBE]).stdout));
  if (dukAvailable()) {
    const dir = mkdtempSync(join(tmpdir(), "fl-store-bench-"));
    writeFileSync(join(dir, "image.js"), image);
    writeFileSync(join(dir, "probe.js"), PROBE);
    rows.push(...probeRows("duktape", (await runDuk([join(dir, "image.js"), join(dir, "probe.js")])).stdout));
  }
  rows.push(...probeRows("quickjs", (await runQuickJs([image, PROBE], { memoryLimit: 64 << 20 })).stdout));
  return rows;
}

if (process.argv[1]?.endsWith("store.bench.ts")) {
  run().then((rows) => {
    for (const r of rows) console.log(`${r.engine.padEnd(8)} ${r.name.padEnd(64)} ${Number.isNaN(r.value) ? "–" : r.value.toPrecision(4)} ${r.unit}${r.note ? "  (" + r.note + ")" : ""}`);
  });
}
