/**
 * The NodeMCU board image: the onboarding device and hal/nodemcu/boot.ts on the board's file
 * (inlined, without its prose), through the Lua build (build/lua/build-lua.ts: runtime + bundle),
 * written to dist/firstlight-board-NAME.lua for every `nodemcu` board. On the device it is loaded
 * by init.lua, which calls `firstlight.nodemcu.boot({ setupCode = "…" })` (docs/boards.md).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BoardConfig } from "../hal/board-config.ts";
import { deviceBoardConfig } from "./board-images.ts";
import { buildLuaEntry } from "./lua/build-lua.ts";
import { DIST, ROOT } from "./paths.ts";

export interface NodeMcuImage { board: string; file: string; bytes: number; codeBytes: number }

export function nodemcuImageFile(board: string): string {
  return join(DIST, `firstlight-board-${board}.lua`);
}

/** The entry module of a board's image (TypeScript, compiled with the Lua gate like the rest). */
export function nodemcuEntry(b: BoardConfig): string {
  return [
    `import { FIRMWARE_VERSION } from "../../../firmware/onboarding/device";`,
    `import { bootNodeMcuBoard, type NodeMcuBootOptions, type NodeMcuBoardApi } from "../../../hal/nodemcu/boot";`,
    `import type { BoardConfig } from "../../../hal/board-config";`,
    `declare var firstlight: { version: string; nodemcu: unknown; board: NodeMcuBoardApi | null };`,
    `var board: BoardConfig = ${JSON.stringify(deviceBoardConfig(b))};`,
    `firstlight = { version: FIRMWARE_VERSION, board: null, nodemcu: {`,
    `  boot: function (this: void, o: NodeMcuBootOptions): NodeMcuBoardApi {`,
    `    var api = bootNodeMcuBoard(board, o);`,
    `    firstlight.board = api;`,
    `    return api;`,
    `  },`,
    `} };`,
    ``,
  ].join("\n");
}

/** Builds every nodemcu board's image; throws listing the Lua gate's problems. */
export function buildNodeMcuImages(boards: BoardConfig[]): NodeMcuImage[] {
  const dir = join(ROOT, ".build/lua/board-entries");
  mkdirSync(dir, { recursive: true });
  mkdirSync(DIST, { recursive: true });
  const out: NodeMcuImage[] = [];
  const problems: string[] = [];
  for (const b of boards.filter((x) => x.engine === "nodemcu")) {
    const entry = join(dir, b.name.replace(/-/g, "_") + ".ts");
    writeFileSync(entry, nodemcuEntry(b));
    const r = buildLuaEntry(entry);
    problems.push(...r.problems);
    const file = nodemcuImageFile(b.name);
    if (r.problems.length === 0) writeFileSync(file, r.lua);
    out.push({ board: b.name, file, bytes: Buffer.byteLength(r.lua), codeBytes: b.budgets.codeBytes });
  }
  if (problems.length) throw new Error("Lua gate failed (board images):\n  " + [...new Set(problems)].join("\n  "));
  return out;
}
