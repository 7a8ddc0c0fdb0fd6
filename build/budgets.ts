/**
 * Which built image fits which board's code budget (boards/NAME.json budgets.codeBytes). Heap and
 * JsVar budgets are not checked here: they need a run on the engine (test-sim/engines).
 */
import type { BoardConfig } from "../hal/board-config.ts";

export interface ImageSize { name: string; bytes: number }

export interface ImageFit { image: string; bytes: number; fits: boolean; /** codeBytes − bytes (negative = over). */ margin: number }

export interface BoardBudget {
  board: string;
  codeBytes: number;
  /** Empty for a board whose language takes no ES5 image (the planned Lua target). */
  images: ImageFit[];
  /** One line for the build's output. */
  line: string;
}

export function checkBudgets(imageSizes: ImageSize[], boards: BoardConfig[]): BoardBudget[] {
  for (const im of imageSizes)
    if (typeof im.name !== "string" || !Number.isInteger(im.bytes) || im.bytes < 0) throw new Error(`checkBudgets: bad image size ${JSON.stringify(im)}`);
  return boards.map((b) => {
    const head = `budget ${b.name.padEnd(16)} ${String(b.budgets.codeBytes).padStart(8)} B code`;
    if (b.language !== "es5") {
      return { board: b.name, codeBytes: b.budgets.codeBytes, images: [], line: `${head}: takes a ${b.language} build, no ES5 image applies${b.status === "planned" ? " (planned)" : ""}` };
    }
    const images = imageSizes.map((im) => {
      const margin = b.budgets.codeBytes - im.bytes;
      return { image: im.name, bytes: im.bytes, fits: margin >= 0, margin };
    });
    const parts = images.map((f) => `${f.image} ${f.fits ? "fits" : "over by " + -f.margin + " B"}`);
    return { board: b.name, codeBytes: b.budgets.codeBytes, images, line: `${head}: ${parts.length ? parts.join(", ") : "no images"}` };
  });
}
