/**
 * The long power-cut soak (npm run soak): random operations (put, update, remove, shred) on
 * several geometries and write sizes, a power cut at a random flash operation of most of them
 * (random torn mode), sometimes a second cut during the recovery mount, and after every cut the
 * model check: each key reads its old or new value, the version counter never goes back.
 * Bounded: SOAK_OPS operations per geometry (default 5000), SOAK_SEED for another sequence; then
 * the corruption fuzz with FUZZ_CASES images (default 20 000).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SimFlash, isPowerCut, type TornMode } from "../../../hal/sim/flash.ts";
import type { StoreApi } from "../../../firmware/store/index.ts";
import { hex, open, valueOf } from "./helpers.ts";
import { restore, snapshot } from "./sweep.ts";

const OPS = Number(process.env.SOAK_OPS ?? 5000);
const SEED = Number(process.env.SOAK_SEED ?? 20261202);
const GEOMETRIES = [
  { pageSize: 512, pageCount: 3, writeSize: 8 },
  { pageSize: 512, pageCount: 5, writeSize: 1 },
  { pageSize: 1024, pageCount: 4, writeSize: 4 },
  { pageSize: 4096, pageCount: 6, writeSize: 4 },
];
const MODES: TornMode[] = ["none", "prefix", "random-bits"];

function cutRun(snap: ReturnType<typeof snapshot>, op: (s: StoreApi) => void, n: number, torn: TornMode, seed: number): SimFlash {
  const f = restore(snap, seed);
  f.cutPowerAfter(n, { torn });
  try { op(open(f)); } catch (e) { if (!isPowerCut(e)) throw e; }
  f.cancelCut();
  f.restorePower();
  return f;
}

for (const g of GEOMETRIES) {
  test(`soak ${g.pageSize}×${g.pageCount}/${g.writeSize}: ${OPS} operations with power cuts`, { timeout: 3_600_000 }, () => {
    let x = (SEED ^ (g.pageSize * 31 + g.pageCount * 7 + g.writeSize)) >>> 0 || 1;
    const rnd = (n: number) => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
    const ref = new SimFlash({ ...g, seed: 1 });
    let s = open(ref);
    const model: Record<string, Uint8Array | null> = {};
    const names = ["wifi.ssid", "wifi.psk", "id.x25519", "peer.0", "peer.1", "peer.2", "token"];
    const maxV = s.stats().maxValueBytes;
    let cuts = 0, nested = 0;
    for (let step = 0; step < OPS; step++) {
      const k = rnd(100), name = names[rnd(names.length)];
      const value = valueOf(name, step, rnd(Math.min(maxV, 96) + 1));
      const kind = k < 72 ? "put" : k < 98 ? "remove" : "shred";
      const op = kind === "put" ? (t: StoreApi) => t.put(name, value) : kind === "remove" ? (t: StoreApi) => void t.remove(name) : (t: StoreApi) => t.shred();
      const after: Record<string, Uint8Array | null> = { ...model };
      if (kind === "put") after[name] = value;
      else if (kind === "remove") after[name] = null;
      else for (const n of names) after[n] = null;
      let full = false;
      if (rnd(3) !== 0) {
        const snap = snapshot(ref);
        const probe = restore(snap);
        const b = probe.opCount();
        try { op(open(probe)); } catch (e) { if ((e as { code?: string }).code !== "STORE_FULL") throw e; full = true; }
        const total = probe.opCount() - b;
        if (total > 0) {
          const n = 1 + rnd(total), torn = MODES[rnd(3)];
          let f = cutRun(snap, op, n, torn, step + 1);
          cuts++;
          if (rnd(4) === 0) {
            // A second cut, during the recovery mount (it may finish a destroy or a shred).
            const mid = snapshot(f);
            const m = (() => { const p = restore(mid); const c = p.opCount(); open(p); return p.opCount() - c; })();
            if (m > 0) { f = cutRun(mid, () => {}, 1 + rnd(m), MODES[rnd(3)], step + 7); nested++; }
          }
          const r = open(f);
          const st = r.stats();
          const shredded = st.generation !== s.stats().generation;
          if (!shredded) assert.ok(st.version >= s.stats().version, `step ${step}: version went back`);
          for (const nm of names) {
            const want = shredded ? [null] : nm === name || kind === "shred" ? [model[nm] ?? null, after[nm] ?? null] : [model[nm] ?? null];
            const got = hex(r.get(nm));
            assert.ok(want.some((w) => hex(w) === got), `step ${step} (${kind} ${name}) cut ${n}/${total} ${torn}: ${nm} = ${got.slice(0, 16)}`);
          }
          assert.deepEqual(st.problems.filter((p) => p.code === "STORE_CORRUPT"), [], `step ${step}: a cut looked like corruption`);
        }
      }
      try { op(s); } catch (e) { if ((e as { code?: string }).code !== "STORE_FULL") throw e; assert.ok(full || kind !== "shred"); continue; }
      Object.assign(model, after);
      if (step % 97 === 0) s = open(ref);
    }
    for (const n of names) assert.equal(hex(s.get(n)), hex(model[n] ?? null));
    const st = s.stats();
    console.log(`# soak ${g.pageSize}×${g.pageCount}/${g.writeSize}: ${OPS} ops, ${cuts} cuts (${nested} nested), erases ${st.eraseCounts.join(",")}`);
  });
}

// The corruption fuzz again, longer (FUZZ_CASES, default 20 000 in the soak).
process.env.FUZZ_CASES ??= "20000";
await import("./corruption.test.ts");
