/**
 * Issue 16 item 3: a second, independent source (timing jitter) through the same health tests,
 * credited by its own figure, and the gate combining sources.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { board as testBoard, codeOf } from "./helpers.ts";
import { SimClock } from "../../../hal/sim/clock.ts";
import { SimTrng } from "../../../hal/sim/trng.ts";
import { simBoardJitter, simBoardTrng } from "../../../hal/sim/board-trng.ts";
import { createEntropyGate } from "../../../firmware/entropy/gate.ts";
import { loadBoard } from "../../../build/boards.ts";
import type { BoardConfig } from "../../../hal/board-config.ts";

const withJitter = (b: BoardConfig, bits: number): BoardConfig => ({ ...b, jitter: { source: "jitter", bitsPerByte: bits, bytesPerSecond: 2000 } });

function run(b: BoardConfig, trng: "healthy" | "silent" | "zero-credit", jitterStuck = false, ms = 30_000) {
  const clock = new SimClock();
  const t = trng === "silent" ? { read() { /* never answers */ } } : new SimTrng({ kind: "healthy", seed: 1, bytesPerSecond: b.trng.bytesPerSecond }, clock);
  const gate = createEntropyGate({ trng: t, jitter: simBoardJitter(b, "j", clock, jitterStuck), clock, board: b });
  gate.start();
  let opened = -1;
  gate.onReady(() => { opened = clock.now(); });
  clock.advance(ms);
  return { gate, opened, s: gate.status() };
}

test("a board whose TRNG earns nothing opens the gate from its jitter source alone, at the jitter's own rate", () => {
  const b = withJitter(testBoard(0), 1);
  const r = run(b, "zero-credit");
  assert.equal(r.s.state, "ready", JSON.stringify(r.s));
  // 1024 start-up samples, then 256 bits at 1 bit/byte: 1280 samples at 2000/s ≈ 0.64 s.
  assert.ok(r.opened >= 600 && r.opened < 1500, `opened at ${r.opened} ms`);
  const [trng, jitter] = r.s.sources;
  assert.deepEqual([trng.name, trng.rate], ["sim", 0]);
  assert.deepEqual([jitter.name, jitter.rate], ["jitter", 1]);
  assert.equal(r.gate.randomBytes(32).length, 32);
});

test("without a jitter source, a 0-bit TRNG is still ENTROPY_NO_SOURCE; a silent TRNG no longer blocks a board with jitter", () => {
  assert.equal(run(testBoard(0), "healthy").s.error?.code, "ENTROPY_NO_SOURCE");
  assert.equal(run(withJitter(testBoard(8), 1), "silent").s.state, "ready");
});

test("both sources credited: each at its own rate, and the gate opens sooner than with either alone", () => {
  // Both at 2000 samples/s and 1 bit each: after their start-up tests, credit comes twice as fast.
  const both = run(withJitter(testBoard(1, 2000), 1), "healthy");
  const trngOnly = run(testBoard(1, 2000), "healthy");
  const jitterOnly = run(withJitter(testBoard(0, 2000), 1), "zero-credit");
  assert.equal(both.s.state, "ready");
  assert.ok(both.opened < trngOnly.opened && both.opened < jitterOnly.opened, `${both.opened} vs ${trngOnly.opened}, ${jitterOnly.opened}`);
  assert.deepEqual(both.s.sources.map((x) => x.rate), [1, 1]);
});

test("the jitter source goes through the same health tests: a clock that does not tick fails the gate", () => {
  const r = run(withJitter(testBoard(0), 1), "zero-credit", true);
  assert.equal(r.s.state, "failed");
  assert.equal(r.s.error?.test, "repetition-count");
  assert.match(r.s.error!.message, /jitter/);
  assert.equal(codeOf(() => r.gate.randomBytes(16)), "ENTROPY_SOURCE_FAILED");
});

test("esp32 with Wi-Fi off: the RNG register earns nothing and the gate opens on timing jitter", () => {
  const b = loadBoard("esp32");
  assert.ok(b.jitter && b.jitter.bitsPerByte > 0);
  const clock = new SimClock();
  const t = simBoardTrng(b, { kind: "healthy", seed: 1, radio: false, bytesPerSecond: b.trng.bytesPerSecond }, clock);
  const gate = createEntropyGate({ trng: t.trng, jitter: simBoardJitter(b, "esp32", clock), clock, board: b });
  gate.start();
  clock.advance(10_000);
  const s = gate.status();
  assert.equal(s.state, "ready");
  assert.equal(s.sourceOff, true, "the register answered OFF throughout");
  assert.equal(t.register!.reads, 0);
  assert.equal(s.sources[0].bytes, 0);
  assert.ok(s.sources[1].bytes > 1024);
});
