/** Shared fixtures for the entropy tests: a board, a gate on the simulator, and a way to run it. */
import type { BoardConfig } from "../../../hal/board-config.ts";
import { SimClock } from "../../../hal/sim/clock.ts";
import { SimTrng, type SimTrngScenario } from "../../../hal/sim/trng.ts";
import { createEntropyGate, type EntropyGate } from "../../../firmware/entropy/gate.ts";
import type { SeedStore } from "../../../firmware/entropy/boot-seed.ts";

export function board(bitsPerByte: number, bytesPerSecond = 4096, gateBits = 256): BoardConfig {
  return {
    name: "test-board", description: "entropy test board", engine: "sim", language: "es5",
    budgets: { codeBytes: 1 << 20, heapBytes: 1 << 20 },
    flash: { pageSize: 4096, pageCount: 4, writeSize: 4, baseAddress: 0 },
    button: { pin: "BTN", activeLow: true }, led: null,
    trng: { source: "sim", bitsPerByte, bytesPerSecond },
    entropy: { gateBits }, deviceSecret: null,
  };
}

export interface Rig { clock: SimClock; trng: SimTrng; gate: EntropyGate }

/** A gate over a simulated TRNG at the board's rate (each read completes on the clock). */
export function rig(scenario: SimTrngScenario, b: BoardConfig, seedStore?: SeedStore | null): Rig {
  const clock = new SimClock();
  const trng = new SimTrng({ bytesPerSecond: b.trng.bytesPerSecond, ...scenario }, clock);
  const gate = createEntropyGate({ trng, clock, board: b, bootSeed: seedStore ?? null });
  return { clock, trng, gate };
}

/** Advances in `step` ms until the gate leaves "gathering" or `limitMs`; calls `probe` at every step. */
export function runGate(r: Rig, limitMs: number, step = 10, probe?: () => void): number {
  const t0 = r.clock.now();
  while (r.gate.status().state === "gathering" && r.clock.now() - t0 < limitMs) {
    probe?.();
    r.clock.advance(step);
  }
  return r.clock.now() - t0;
}

export function codeOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}
