/**
 * The board the simulator boots: boards/NAME.json when the repository has one, otherwise the
 * embedded `sim` board below (a small NOR area, a slow TRNG credited at half a bit per byte, so
 * the entropy gate visibly fills for about 1.5 s of virtual time).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BoardConfig } from "../../hal/board-config.ts";
import { ROOT } from "../../build/paths.ts";

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

/** The named board: boards/NAME.json if present (checked for what the simulator needs), else the embedded sim board. */
export function loadSimBoard(name = "sim"): { board: BoardConfig; source: string } {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new Error(`board name ${JSON.stringify(name)}: lowercase letters, digits, - and _`);
  const file = join(ROOT, "boards", name + ".json");
  if (!existsSync(file)) {
    if (name === "sim") return { board: EMBEDDED_SIM_BOARD, source: "embedded" };
    throw new Error(`no board file boards/${name}.json`);
  }
  const b = JSON.parse(readFileSync(file, "utf8")) as BoardConfig;
  const f = b.flash, t = b.trng;
  const problems: string[] = [];
  if (!f || !(f.pageSize >= 16) || !(f.pageCount >= 1) || ![1, 2, 4, 8, 16].includes(f.writeSize)) problems.push("flash geometry");
  if (!t || !(t.bitsPerByte >= 0 && t.bitsPerByte <= 8) || !(t.bytesPerSecond > 0)) problems.push("trng");
  if (!b.button) problems.push("button");
  if (problems.length) throw new Error(`boards/${name}.json: the simulator needs ${problems.join(", ")}`);
  return { board: { ...b, name: b.name || name }, source: `boards/${name}.json` };
}
