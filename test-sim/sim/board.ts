/**
 * The board the simulator boots: boards/NAME.json (any ES5 board: its flash geometry and TRNG rate
 * shape the run), or, if the repository has no boards/sim.json, the embedded `sim` board below (a
 * slow TRNG credited at half a bit per byte; the bridge tests use it for a gate that fills in steps).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BoardConfig } from "../../hal/board-config.ts";
import { BOARDS_DIR, loadBoard } from "../../build/boards.ts";

export const EMBEDDED_SIM_BOARD: BoardConfig = {
  name: "sim",
  description: "the simulator: virtual clock, scripted TRNG, NOR flash in a file, loopback TCP link",
  engine: "sim",
  language: "es5",
  budgets: { codeBytes: 256 * 1024, heapBytes: 4 * 1024 * 1024 },
  flash: { pageSize: 4096, pageCount: 8, writeSize: 4, baseAddress: 0 },
  button: { pin: "BTN1", activeLow: true },
  led: { pin: "LED1", activeLow: false },
  trng: { source: "sim", bitsPerByte: 0.5, bytesPerSecond: 1024 },
  entropy: { gateBits: 256 },
  deviceSecret: { kind: "sim" },
};

/** The named board: boards/NAME.json through the board loader (build/boards.ts), else for `sim` the embedded board. */
export function loadSimBoard(name = "sim"): { board: BoardConfig; source: string } {
  if (!existsSync(join(BOARDS_DIR, name + ".json")) && name === "sim") return { board: EMBEDDED_SIM_BOARD, source: "embedded" };
  const board = loadBoard(name);
  if (board.engine !== "sim" && board.language !== "es5") throw new Error(`board ${name} runs ${board.language}; the simulator runs ES5 images`);
  return { board, source: `boards/${name}.json` };
}
