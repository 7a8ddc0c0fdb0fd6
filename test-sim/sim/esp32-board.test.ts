/**
 * Issue 16 item 4: the esp32 board opens its entropy gate in the simulator through its own RNG
 * driver over a simulated register, and the whole main job runs to OK on it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSimBoard } from "./board.ts";
import { DEVICE_IMAGE } from "./sim-device.ts";
import { runStory } from "./story.ts";
import { SimClock } from "../../hal/sim/clock.ts";
import { simBoardTrng } from "../../hal/sim/board-trng.ts";
import { createEntropyGate } from "../../firmware/entropy/gate.ts";

const { board, source } = loadSimBoard("esp32");

test("the simulator reads the esp32 board's RNG through the register driver: radio off credits nothing, stuck fails", () => {
  const run = (scenario: Parameters<typeof simBoardTrng>[1], ms: number) => {
    const clock = new SimClock();
    const t = simBoardTrng(board, { bytesPerSecond: board.trng.bytesPerSecond, ...scenario }, clock);
    assert.ok(t.register, "a simulated register");
    const g = createEntropyGate({ trng: t.trng, clock, board });
    g.start();
    clock.advance(ms);
    return { s: g.status(), reads: t.register!.reads, t };
  };
  const ok = run({ kind: "healthy", seed: 1 }, 2_000);
  assert.equal(ok.s.state, "ready");
  assert.ok(ok.reads > 256, `${ok.reads} register reads`);
  const off = run({ kind: "healthy", seed: 1, radio: false }, 60_000);
  assert.deepEqual([off.s.state, off.s.credited, off.reads], ["gathering", 0, 0]);
  assert.equal(run({ kind: "stuck", value: 0 }, 10_000).s.state, "failed");
});

test("npm start -- --board esp32: the main job runs to OK", { skip: !existsSync(DEVICE_IMAGE) && "the device image is not built", timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-esp32-"));
  try {
    const lines: string[] = [];
    const r = await runStory({
      engine: "node", board, boardSource: source, code: "20202021", flashPath: join(dir, "flash.bin"), commissionerDir: join(dir, "comm"),
      tty: false, frameMs: 0, out: (l) => lines.push(l),
    });
    const text = lines.join("\n");
    assert.ok(r.ok, text);
    assert.match(text, /esp32 \(boards\/esp32\.json\).*TRNG credited 2 bit\/B/);
    assert.match(text, /simulated RNG register/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
