/**
 * Writes samples/NAME.bin for every board file: SAMPLES raw samples of the board's source as the
 * simulator models it (the simulated RNG register for esp32-rng / esp8266-rng boards, the scripted
 * TRNG elsewhere), through the same capture script and parser as a real capture
 * (tools/entropy/capture.node.ts). They let test-sim/tools/entropy/board-credit.test.ts check every
 * board's credit against the estimator until real captures replace them (docs/entropy.md).
 *
 *   npx tsx tools/entropy/make-samples.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { listBoards, loadBoard } from "../../build/boards.ts";
import { captureScript, parseCapture, runSimulated } from "./capture.node.ts";

export const SAMPLES = 16384;
export const SAMPLES_DIR = join(ROOT, "samples");

export function simulatedSamples(name: string, n = SAMPLES, source: "trng" | "jitter" = "trng"): Uint8Array {
  const board = loadBoard(name);
  return parseCapture(runSimulated(board, captureScript(board, n, false, source), "samples/" + name + (source === "jitter" ? "/jitter" : "")), n);
}

if (process.argv[1]?.endsWith("make-samples.ts")) {
  mkdirSync(SAMPLES_DIR, { recursive: true });
  for (const name of listBoards()) {
    writeFileSync(join(SAMPLES_DIR, name + ".bin"), simulatedSamples(name));
    console.log(`samples/${name}.bin: ${SAMPLES} samples of ${loadBoard(name).trng.source} (simulated)`);
    const j = loadBoard(name).jitter;
    if (j) {
      writeFileSync(join(SAMPLES_DIR, name + "-jitter.bin"), simulatedSamples(name, SAMPLES, "jitter"));
      console.log(`samples/${name}-jitter.bin: ${SAMPLES} samples of ${j.source} (simulated)`);
    }
  }
}
