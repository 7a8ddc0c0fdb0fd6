/**
 * Issue 16: no board file credits its source more than the SP 800-90B estimator gives on samples
 * from that board (samples/NAME.bin; simulated until real captures replace them, samples/README.md).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listBoards, loadBoard } from "../../../build/boards.ts";
import { assess } from "../../../tools/entropy/sp800-90b.ts";
import { SAMPLES_DIR, simulatedSamples } from "../../../tools/entropy/make-samples.ts";

test("every board's credit is at most the estimator's figure on its samples", () => {
  for (const name of listBoards()) {
    const file = join(SAMPLES_DIR, name + ".bin");
    assert.ok(existsSync(file), `samples/${name}.bin is missing (npx tsx tools/entropy/make-samples.ts, or a real capture)`);
    const a = assess(new Uint8Array(readFileSync(file)), 8);
    const credit = loadBoard(name).trng.bitsPerByte;
    assert.ok(credit <= a.h, `${name}: credits ${credit} bits/byte, the estimator gives ${a.h.toFixed(3)}`);
    // A second source is credited by its own samples' figure.
    const j = loadBoard(name).jitter;
    if (j) {
      const jf = join(SAMPLES_DIR, name + "-jitter.bin");
      assert.ok(existsSync(jf), `samples/${name}-jitter.bin is missing`);
      const ja = assess(new Uint8Array(readFileSync(jf)), 8);
      assert.ok(j.bitsPerByte <= ja.h, `${name} jitter: credits ${j.bitsPerByte}, the estimator gives ${ja.h.toFixed(3)}`);
    }
  }
});

test("a board crediting more than its samples support is caught", () => {
  // The check itself can fail: a source stuck half the time estimates far below a 4-bit credit.
  const s = simulatedSamples("puckjs", 4096);
  for (let i = 0; i < s.length; i += 2) s[i] = 0;
  assert.ok(assess(s, 8).h < loadBoard("puckjs").trng.bitsPerByte);
});
