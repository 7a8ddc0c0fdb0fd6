/**
 * Entropy benchmarks (run: `npx tsx build/build.ts --quiet && npx tsx bench/entropy.bench.ts`):
 *  1. per-sample cost of the health tests + SHA-256 conditioning (EntropyPool.mix), on each engine;
 *  2. HMAC_DRBG generate(32) on each engine;
 *  3. virtual time to open the gate on the simulator at each board's TRNG rate (boards/*.json, or
 *     assumed rates while the board files are missing);
 *  4. flash wear from the boot seed on an idle paired device: erases per page per idle day on every
 *     board's geometry, and the idle life of a 10 000-cycle page (goal ≥ 50 years).
 * Engine timings run the built image (dist/firstlight-core.js), not the TypeScript sources.
 * `run()` returns the rows, for the bench harness (bench/run.ts) to pick up when it lands.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DIST, ROOT } from "../build/paths.ts";
import { runNodeScripts } from "../test-sim/engines/node.ts";
import { runDuk, dukAvailable } from "../test-sim/engines/duk.ts";
import { runQuickJs } from "../test-sim/engines/quickjs.ts";
import { SimClock } from "../hal/sim/clock.ts";
import { SimTrng } from "../hal/sim/trng.ts";
import { createEntropyGate } from "../firmware/entropy/gate.ts";
import type { BoardConfig } from "../hal/board-config.ts";
import { writeFileSync, mkdtempSync } from "node:fs";
import { loadBoard, listBoards } from "../build/boards.ts";
import { idleWear, seedSavesPerIdleDay, ENDURANCE } from "../test-sim/firmware/entropy/seed-wear.ts";
import { tmpdir } from "node:os";

export interface BenchRow { name: string; engine: string; value: number; unit: string; note?: string; section?: string; target?: { goal: string; met: boolean } }

/** ES5 code that times the pool and the DRBG inside the image and prints one JSON line. */
const PROBE = `
(function () {
  var E = firstlight.entropy, out = {}, i, t0, n;
  // 64 KB of xorshift noise, mixed in 64-byte chunks as the gate does (fresh data: a repeated
  // chunk would rightly fail the adaptive proportion test).
  var pool = new E.EntropyPool(1 << 30), id = pool.addSource("bench", 8), buf = new Uint8Array(65536), x = 12345, chunks = [];
  for (i = 0; i < buf.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; buf[i] = x >>> 24; }
  for (i = 0; i < buf.length; i += 64) chunks.push(buf.subarray(i, i + 64));
  n = 0; t0 = Date.now();
  while (Date.now() - t0 < 1000) { for (i = 0; i < chunks.length; i++) if (pool.mix(id, chunks[i]) !== null) throw new Error("health test failed"); n += buf.length; }
  out.poolUsPerSample = (Date.now() - t0) * 1000 / n;
  // Steady state after the gate opened: the one reseed block is full, samples only feed the running hash.
  var full = new E.EntropyPool(1), fid = full.addSource("bench", 8);
  n = 0; t0 = Date.now();
  while (Date.now() - t0 < 1000) { for (i = 0; i < chunks.length; i++) if (full.mix(fid, chunks[i]) !== null) throw new Error("health test failed"); n += buf.length; }
  out.poolFullUsPerSample = (Date.now() - t0) * 1000 / n;
  var ht = new E.HealthTests(8); n = 0; t0 = Date.now();
  while (Date.now() - t0 < 500) { for (i = 0; i < chunks.length; i++) if (ht.check(chunks[i], 64) !== null) throw new Error("health test failed"); n += buf.length; }
  out.healthUsPerSample = (Date.now() - t0) * 1000 / n;
  var s = new Uint8Array(32), no = new Uint8Array(16), d = new E.HmacDrbg(function () { return new Uint8Array(32); });
  d.instantiate(s, no); n = 0; t0 = Date.now();
  while (Date.now() - t0 < 1000) { for (i = 0; i < 10; i++) d.generate(32); n += 10; }
  out.drbgMsPerGenerate32 = (Date.now() - t0) / n;
  print(JSON.stringify(out));
})();
`;

function probeRows(engine: string, stdout: string): BenchRow[] {
  const line = stdout.trim().split("\n").pop() ?? "{}";
  const r = JSON.parse(line) as Record<string, number>;
  return [
    { name: "pool, worst case (a 256-bit block every ~46 B)", engine, value: r.poolUsPerSample, unit: "µs/sample" },
    { name: "pool once ready (health tests + running SHA-256)", engine, value: r.poolFullUsPerSample, unit: "µs/sample" },
    { name: "entropy health tests alone (RCT + APT + MCV counts)", engine, value: r.healthUsPerSample, unit: "µs/sample" },
    { name: "HMAC_DRBG generate(32)", engine, value: r.drbgMsPerGenerate32, unit: "ms" },
  ];
}

/** Rates used while boards/*.json is missing: assumptions, labelled as such in the output. */
const ASSUMED: { name: string; bitsPerByte: number; bytesPerSecond: number }[] = [
  { name: "sim (assumed)", bitsPerByte: 8, bytesPerSecond: 4096 },
  { name: "nrf52-rng (assumed)", bitsPerByte: 4, bytesPerSecond: 8000 },
  { name: "stm32-adc-noise (assumed)", bitsPerByte: 1, bytesPerSecond: 1000 },
  { name: "slow source (assumed)", bitsPerByte: 0.5, bytesPerSecond: 100 },
];

function boardRates(): { name: string; bitsPerByte: number; bytesPerSecond: number; gateBits?: number }[] {
  const dir = join(ROOT, "boards");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
  if (files.length === 0) return ASSUMED;
  return files.map((f) => {
    const b = JSON.parse(readFileSync(join(dir, f), "utf8")) as BoardConfig;
    return { name: b.name ?? f, bitsPerByte: b.trng.bitsPerByte, bytesPerSecond: b.trng.bytesPerSecond, gateBits: b.entropy?.gateBits };
  });
}

export function gateOpenTimes(): BenchRow[] {
  return boardRates().map((b) => {
    const clock = new SimClock();
    const trng = new SimTrng({ kind: "healthy", seed: b.name, bytesPerSecond: b.bytesPerSecond }, clock);
    const board = { name: b.name, trng: { source: "sim", bitsPerByte: b.bitsPerByte, bytesPerSecond: b.bytesPerSecond }, entropy: { gateBits: b.gateBits ?? 256 } } as BoardConfig;
    const gate = createEntropyGate({ trng, clock, board });
    if (!(b.bitsPerByte > 0)) return { name: "time to open the gate: " + b.name, engine: "sim", value: NaN, unit: "s", note: "0 bits/byte: never" };
    gate.start();
    while (gate.status().state === "gathering" && clock.now() < 3_600_000) clock.advance(10);
    return { name: "time to open the gate: " + b.name, engine: "sim", value: clock.now() / 1000, unit: "s", note: `${b.bitsPerByte} bits/B at ${b.bytesPerSecond} B/s, ${trng.delivered} raw bytes` };
  });
}

/** Issue 10 item 3: the boot seed's flash wear on an idle paired device, per board geometry. */
export function seedWear(): BenchRow[] {
  const names = listBoards();
  if (names.length === 0) return [];
  const savesPerDay = seedSavesPerIdleDay(loadBoard("sim"), 2);
  const rows: BenchRow[] = [{ name: "boot-seed saves per idle day (gate open, reseed every 60 s)", engine: "sim", value: savesPerDay, unit: "saves/day", section: "boot-seed flash wear" }];
  for (const n of names) {
    const w = idleWear(loadBoard(n), savesPerDay, 3000);
    rows.push({
      name: `erases per page per idle day: ${n} (${w.pages} store pages)`, engine: "sim", value: w.erasesPerPagePerDay, unit: "erases/day",
      note: `${ENDURANCE} cycles last ${Number.isFinite(w.years) ? Math.round(w.years) : "∞"} years`, section: "boot-seed flash wear",
      target: { goal: `${n}: ≥ 50 years of idle life`, met: w.years >= 50 },
    });
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  const image = readFileSync(join(DIST, "firstlight-core.js"), "utf8");
  const rows: BenchRow[] = [];
  rows.push(...probeRows("node", runNodeScripts([image, PROBE]).stdout));
  if (dukAvailable()) {
    const dir = mkdtempSync(join(tmpdir(), "fl-bench-"));
    writeFileSync(join(dir, "image.js"), image);
    writeFileSync(join(dir, "probe.js"), PROBE);
    rows.push(...probeRows("duktape", (await runDuk([join(dir, "image.js"), join(dir, "probe.js")])).stdout));
  }
  rows.push(...probeRows("quickjs", (await runQuickJs([image, PROBE], { memoryLimit: 64 << 20 })).stdout));
  rows.push(...gateOpenTimes());
  rows.push(...seedWear());
  return rows;
}

if (process.argv[1]?.endsWith("entropy.bench.ts")) {
  run().then((rows) => {
    for (const r of rows) console.log(`${r.engine.padEnd(8)} ${r.name.padEnd(54)} ${Number.isNaN(r.value) ? "–" : r.value.toPrecision(4)} ${r.unit}${r.note ? "  (" + r.note + ")" : ""}`);
  });
}
