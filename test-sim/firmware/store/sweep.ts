/**
 * Power-cut sweeps: run an operation on a copy of a flash image with the power cut at its n-th
 * program/erase, for every n (and every torn mode), then remount and check what survived.
 */
import { SimFlash, isPowerCut, type TornMode } from "../../../hal/sim/flash.ts";
import type { StoreApi } from "../../../firmware/store/index.ts";
import { open } from "./helpers.ts";

export const TORN: TornMode[] = ["none", "prefix", "random-bits"];

export interface Snapshot { image: Uint8Array; erases: number[]; pageSize: number; pageCount: number; writeSize: number }

export function snapshot(f: SimFlash): Snapshot {
  return { image: f.image(), erases: f.eraseCounts(), pageSize: f.pageSize, pageCount: f.pageCount, writeSize: f.writeSize };
}

export function restore(s: Snapshot, seed = 1): SimFlash {
  const f = new SimFlash({ pageSize: s.pageSize, pageCount: s.pageCount, writeSize: s.writeSize, seed });
  f.load(s.image);
  f.setEraseCounts(s.erases);
  return f;
}

/** Flash operations `op` performs on a copy of `snap` (no cut). */
export function countOps(snap: Snapshot, op: (f: SimFlash) => void): number {
  const f = restore(snap);
  const before = f.opCount();
  op(f);
  return f.opCount() - before;
}

export interface CutResult { cut: boolean; flash: SimFlash }

/** Runs `op` on a copy of `snap` with the power cut at its n-th flash operation. */
export function runWithCut(snap: Snapshot, op: (f: SimFlash) => void, n: number, torn: TornMode, seed: number): CutResult {
  const f = restore(snap, seed);
  f.cutPowerAfter(n, { torn });
  try {
    op(f);
  } catch (e) {
    if (!isPowerCut(e)) throw e;
    f.restorePower();
    return { cut: true, flash: f };
  }
  f.cancelCut();
  return { cut: false, flash: f };
}

/**
 * Every cut point of `op` × every torn mode: `check(store, flash)` runs on the remounted store.
 * With `nested`, the remount (which may finish a destroy or a shred) is itself swept. Returns the
 * number of cut points tried.
 */
export function sweep(snap: Snapshot, op: (s: StoreApi, f: SimFlash) => void, check: (s: StoreApi, f: SimFlash, n: number, torn: string) => void,
  opts: { nested?: boolean; modes?: TornMode[] } = {}): number {
  const full = (f: SimFlash) => op(open(f), f);
  const total = countOps(snap, full);
  let tried = 0;
  for (const torn of opts.modes ?? TORN) {
    for (let n = 1; n <= total; n++) {
      const r = runWithCut(snap, full, n, torn, n * 31 + 7);
      if (!r.cut) throw new Error("no cut at op " + n + " of " + total);
      tried++;
      const mid = snapshot(r.flash);
      if (opts.nested) {
        const m = countOps(mid, (f) => void open(f));
        for (let k = 1; k <= m; k++) {
          const r2 = runWithCut(mid, (f) => void open(f), k, torn, k * 17 + n);
          if (!r2.cut) break;
          tried++;
          const again = open(r2.flash);
          check(again, r2.flash, n, torn + "/nested " + k);
        }
      }
      const f2 = restore(mid);
      const s2 = open(f2);
      check(s2, f2, n, torn);
    }
  }
  return tried;
}
