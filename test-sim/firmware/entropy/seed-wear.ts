/**
 * The flash wear the boot seed causes on an idle paired device (issue 10 item 3), in two measured
 * factors: how many seed saves the gate makes in an idle day (the real gate on the virtual clock,
 * background reads and reseeds included), and how many page erases a seed save costs on a board's
 * geometry (the real store on a SimFlash of that geometry, after an identity and a pairing record,
 * split into store and audit areas as the device splits it). Their product is erases per page per
 * idle day; a NOR page of ENDURANCE cycles then lasts ENDURANCE / that days.
 * Shared by test-sim/firmware/entropy/seed-wear.test.ts and bench/entropy.bench.ts.
 */
import type { BoardConfig } from "../../../hal/board-config.ts";
import { SimClock } from "../../../hal/sim/clock.ts";
import { SimFlash } from "../../../hal/sim/flash.ts";
import { SimTrng } from "../../../hal/sim/trng.ts";
import { createEntropyGate } from "../../../firmware/entropy/gate.ts";
import { memorySeedStore } from "../../../firmware/entropy/boot-seed.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { boardAreas } from "../../../firmware/onboarding/board-store.ts";
import { REC_IDENTITY, REC_PAIRING, REC_SEED } from "../../../firmware/onboarding/credentials.ts";

/** Program/erase cycles of a typical NOR page (nRF52 and ESP32 SPI flash datasheets: 10 000 minimum). */
export const ENDURANCE = 10_000;
export const DAY_MS = 86_400_000;

/** Seed saves the gate makes in `days` idle days after it opens (a healthy source at `board`'s rate). */
export function seedSavesPerIdleDay(board: BoardConfig, days = 1): number {
  const clock = new SimClock();
  const trng = new SimTrng({ kind: "healthy", seed: "wear", bytesPerSecond: board.trng.bytesPerSecond }, clock);
  const store = memorySeedStore(null);
  const gate = createEntropyGate({ trng, clock, board, bootSeed: store });
  gate.start();
  while (gate.status().state === "gathering" && clock.now() < 600_000) clock.advance(100);
  if (gate.status().state !== "ready") throw new Error(`seed wear: the gate did not open on ${board.name}`);
  const before = store.saves;
  for (let d = 0; d < days; d++) for (let h = 0; h < 24; h++) clock.advance(3_600_000);
  gate.stop();
  return (store.saves - before) / days;
}

/** Erases per page per seed save on the board's store area (the worst page), measured over `saves` saves. */
export function erasesPerSeedSave(board: BoardConfig, saves = 2000): { perSave: number; worstPage: number; storePages: number } {
  const f = board.flash;
  const flash = new SimFlash({ pageSize: f.pageSize, pageCount: f.pageCount, writeSize: f.writeSize });
  const area = boardAreas(flash).store;
  let x = 0x9e3779b9;
  const random = (n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0; b[i] = x >>> 24; }
    return b;
  };
  const s = openStore(area, new Uint8Array(32).fill(7), { random });
  s.put(REC_IDENTITY, random(32));
  s.put(REC_PAIRING, random(96));
  const start = flash.eraseCounts();
  for (let i = 0; i < saves; i++) s.put(REC_SEED, random(32));
  const end = flash.eraseCounts();
  let worst = 0, page = 0;
  for (let p = 0; p < area.pageCount; p++) if (end[p] - start[p] > worst) { worst = end[p] - start[p]; page = p; }
  s.close();
  return { perSave: worst / saves, worstPage: page, storePages: area.pageCount };
}

export interface IdleWear { board: string; pages: number; savesPerDay: number; erasesPerPagePerDay: number; years: number }

/** Erases per page per idle day and the idle life in years, on `board`'s geometry. */
export function idleWear(board: BoardConfig, savesPerDay: number, saves = 2000): IdleWear {
  const e = erasesPerSeedSave(board, saves);
  const perDay = e.perSave * savesPerDay;
  return { board: board.name, pages: e.storePages, savesPerDay, erasesPerPagePerDay: perDay, years: perDay > 0 ? ENDURANCE / perDay / 365.25 : Infinity };
}
