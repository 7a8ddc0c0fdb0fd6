/** Shared rigs for the store tests: sim flash geometries, a fixed root, a seeded random source. */
import { SimFlash, isPowerCut } from "../../../hal/sim/flash.ts";
import { openStore, type StoreOptions } from "../../../firmware/store/index.ts";

export const ROOT = new Uint8Array(32).map((_, i) => (i * 7 + 1) & 255);

export function seededRandom(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      b[i] = x >>> 24;
    }
    return b;
  };
}

export function makeFlash(pageSize = 512, pageCount = 4, writeSize = 8, seed = 7, programOnce = false): SimFlash {
  return new SimFlash({ pageSize, pageCount, writeSize, seed, programOnce });
}

export function open(flash: SimFlash, opts: StoreOptions = {}) {
  return openStore(flash, ROOT, { random: seededRandom(99), ...opts });
}

export function codeOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { if (isPowerCut(e)) throw e; return (e as { code?: string }).code ?? String(e); }
  return undefined;
}

/** A value that is recognisable and never repeats: "name#n" padded with pseudo-random bytes. */
export function valueOf(name: string, n: number, len = 24): Uint8Array {
  const v = new Uint8Array(len);
  let x = (n * 2654435761 + name.length * 97 + name.charCodeAt(0)) >>> 0 || 1;
  for (let i = 0; i < len; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0; v[i] = x >>> 24; }
  return v;
}

export const hex = (b: Uint8Array | null) => (b === null ? "null" : Buffer.from(b).toString("hex"));
