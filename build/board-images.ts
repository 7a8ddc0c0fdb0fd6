/**
 * One image per supported Espruino board: the onboarding device (firmware/onboarding/device.ts)
 * and hal/espruino/boot.ts started on that board's file (boards/NAME.json, inlined), written to
 * dist/firstlight-board-NAME.js. This is what `npm run flash` writes to the board's Storage as `.bootcde`. The bundle runs in Espruino's
 * root scope (build/espruino-root-scope.ts), which costs fewer variables than esbuild's wrapper.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { BoardConfig } from "../hal/board-config.ts";
import { bundleEs5 } from "./build.ts";
import { checkEs5Image } from "./compat-gate.ts";
import { overlayImage, OVERLAY_MARKER } from "./espruino-overlays.ts";
import { espruinoModulePlugin } from "./espruino-params.ts";
import { rootScopeImage } from "./espruino-root-scope.ts";
import { DIST, ES5_OUT } from "./paths.ts";

export interface BoardImage { board: string; file: string; bytes: number; gzip: number; codeBytes: number }

export function boardImageFile(board: string): string {
  return join(DIST, `firstlight-board-${board}.js`);
}

/** Boards that get an image: Espruino, not planned. */
export function flashableBoards(boards: BoardConfig[]): BoardConfig[] {
  return boards.filter((b) => b.engine === "espruino" && b.status !== "planned");
}

/**
 * The board file as the image carries it: without `description` and `notes`, prose for people
 * that no driver reads. On Espruino every string the image builds lives in variables (about 90 of
 * them for the puckjs notes).
 */
export function deviceBoardConfig(b: BoardConfig): BoardConfig {
  const out = { ...b } as Partial<BoardConfig>;
  delete out.notes;
  out.description = "";
  return out as BoardConfig;
}

export async function buildBoardImages(boards: BoardConfig[]): Promise<BoardImage[]> {
  const dir = join(ES5_OUT, "board-entries");
  mkdirSync(dir, { recursive: true });
  mkdirSync(DIST, { recursive: true });
  const out: BoardImage[] = [];
  const problems: string[] = [];
  for (const b of flashableBoards(boards)) {
    const entry = join(dir, b.name + ".js");
    writeFileSync(
      entry,
      // Not the whole device image: its `firstlight.crypto`, `.store`, `.protocol` namespaces
      // would keep every function they list (and their names) in variables, used or not. The
      // board's console API is `firstlight.board` (hal/espruino/boot.ts).
      `import { FIRMWARE_VERSION } from "../firmware/onboarding/device.js";\nimport { bootEspruinoBoard } from "../hal/espruino/boot.js";\n` +
        // The overlays' entry points (build/espruino-overlays.ts): the code only they reach is
        // made when a pairing or a session starts, or (X25519 and its field arithmetic) for the
        // few identity keys the device derives outside them, not at load. The pass removes this
        // statement.
        `import { pairingResponder } from "../firmware/onboarding/pairing.js";\nimport { sessionResponder } from "../firmware/onboarding/session.js";\n` +
        `import { x25519Base } from "../firmware/crypto/x25519.js";\n` +
        `${OVERLAY_MARKER} = { pairing: pairingResponder, session: sessionResponder, x25519: x25519Base };\n` +
        `firstlight = { version: FIRMWARE_VERSION };\nbootEspruinoBoard(${JSON.stringify(deviceBoardConfig(b))});\n`,
    );
    // Espruino's require for built-in modules, out of the bundler's sight (hal/espruino/env.ts).
    // Run in the root scope, not esbuild's wrapper: fewer variables (build/espruino-root-scope.ts).
    const code = overlayImage(rootScopeImage(await bundleEs5(entry, true, true, "var espruinoRequire=require;", [espruinoModulePlugin]))).code;
    const file = boardImageFile(b.name);
    problems.push(...checkEs5Image(code, `firstlight-board-${b.name}.js`).problems);
    writeFileSync(file, code);
    out.push({ board: b.name, file, bytes: Buffer.byteLength(code), gzip: gzipSync(code).length, codeBytes: b.budgets.codeBytes });
  }
  if (problems.length) throw new Error("ES5 compatibility gate failed:\n  " + problems.join("\n  "));
  return out;
}
