import { test } from "node:test";
import assert from "node:assert/strict";
import { espRngTrng, espruinoWifiOn, ESP32_RNG_DATA_REG, ESP8266_RNG_REG, ESP32_MIN_INTERVAL_S, type EspRngEnv } from "../../../hal/espruino/esp-rng.ts";
import { SimRngRegister, type SimRngRegisterOptions } from "../../../hal/sim/esp-rng-register.ts";
import { SimClock } from "../../../hal/sim/clock.ts";
import { createEntropyGate } from "../../../firmware/entropy/gate.ts";
import { loadBoard } from "../../../build/boards.ts";
import { trngContract } from "../contract/trng.ts";
import type { HalError } from "../../../hal/errors.ts";

/** The driver over a simulated register, on a virtual clock; getTime() advances 1 µs per call. */
function rig(o: Partial<SimRngRegisterOptions> & { address?: number } = {}) {
  const clock = new SimClock();
  const reg = new SimRngRegister({ address: ESP32_RNG_DATA_REG, kind: "healthy", seed: 1, ...o });
  let micros = 0;
  const env: EspRngEnv = {
    peek32: (a) => reg.peek32(a),
    getTime: () => (micros++ * 1e-6) + clock.now() / 1000,
    setTimeout: (fn, ms) => clock.after(ms, fn),
  };
  const trng = espRngTrng(env, { address: o.address ?? ESP32_RNG_DATA_REG, minIntervalS: ESP32_MIN_INTERVAL_S, radioOn: () => reg.radio });
  return { clock, reg, trng, settle: () => clock.advance(1) };
}

trngContract("ESP32 RNG register (peek32, simulated)", () => {
  const r = rig();
  return { trng: r.trng, settle: r.settle, alwaysAsync: true, breakSource: () => { (r.reg as unknown as { peek32: () => number }).peek32 = () => NaN; } };
});

function read(r: ReturnType<typeof rig>, n: number): { err: HalError | null; bytes?: Uint8Array } {
  let got: { err: HalError | null; bytes?: Uint8Array } | null = null;
  r.trng.read(n, (err, bytes) => { got = { err, bytes }; });
  r.settle();
  assert.ok(got, "completed");
  return got!;
}

test("reads the data register, little-endian words, and nothing else", () => {
  const r = rig();
  const a = read(r, 8);
  assert.equal(a.err, null);
  assert.equal(r.reg.reads, 2, "two 32-bit reads for 8 bytes");
  const wrong = rig({ address: ESP8266_RNG_REG });
  // An ESP8266 register model read at the ESP32 address would read 0: the driver uses its own address.
  const d = espRngTrng({ peek32: (x) => wrong.reg.peek32(x), getTime: () => 0, setTimeout: (fn, ms) => wrong.clock.after(ms, fn) },
    { address: ESP8266_RNG_REG, minIntervalS: 0, radioOn: () => true });
  let bytes: Uint8Array | undefined;
  d.read(4, (_e, b) => { bytes = b; });
  wrong.clock.advance(1);
  assert.equal(wrong.reg.reads, 1);
  assert.ok(bytes && bytes.length === 4);
});

test("radio off: the driver answers OFF and reads nothing; the gate credits nothing until the radio is on", () => {
  const r = rig({ radio: false });
  assert.equal(read(r, 64).err, "OFF");
  assert.equal(r.reg.reads, 0, "pseudo-random words are never read");
  const board = loadBoard("esp32");
  const clock = r.clock;
  const gate = createEntropyGate({ trng: r.trng, clock, board });
  gate.start();
  clock.advance(60_000);
  assert.deepEqual([gate.status().state, gate.status().credited, gate.status().sourceOff], ["gathering", 0, true]);
  r.reg.radio = true;
  clock.advance(30_000);
  assert.equal(gate.status().state, "ready", "opens once the radio is on");
  assert.equal(gate.status().sourceOff, false);
  // The radio going off again after opening stops reseeding, not key generation.
  r.reg.radio = false;
  clock.advance(10_000);
  assert.equal(gate.status().state, "ready");
  assert.equal(gate.randomBytes(16).length, 16);
});

test("pacing: never two reads closer than 16 APB cycles, and phases yield to the event loop", () => {
  const clock = new SimClock();
  const reg = new SimRngRegister({ address: ESP32_RNG_DATA_REG, kind: "healthy" });
  // A clock that only moves when asked (a fast native engine): the driver must wait itself.
  let t = 0;
  const times: number[] = [];
  const env: EspRngEnv = {
    peek32: (a) => { times.push(t); return reg.peek32(a); },
    getTime: () => (t += 0.05e-6),
    setTimeout: (fn, ms) => { phases++; return clock.after(ms, fn); },
  };
  let phases = 0;
  const trng = espRngTrng(env, { address: ESP32_RNG_DATA_REG, minIntervalS: ESP32_MIN_INTERVAL_S, radioOn: () => true });
  trng.read(256, () => {});
  clock.advance(1);
  assert.equal(reg.reads, 64);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= ESP32_MIN_INTERVAL_S * 0.999, `read ${i}: ${times[i] - times[i - 1]} s`);
  assert.ok(phases >= 4, `64 words took ${phases} phases, at least 4`);
});

test("a stuck register fails the gate (repetition count); a biased one fails or opens later, never sooner", () => {
  const board = loadBoard("esp32");
  const stuck = rig({ kind: "stuck", value: 0xdeadbeef });
  const gs = createEntropyGate({ trng: stuck.trng, clock: stuck.clock, board });
  gs.start();
  stuck.clock.advance(60_000);
  assert.equal(gs.status().state, "failed", "a word stuck at 0xDEADBEEF (a byte pattern of period 4)");
  assert.equal(gs.status().error?.hal, "FAIL", "the driver's word-level repetition count test");
  const zero = rig({ kind: "stuck", value: 0 });
  const gz = createEntropyGate({ trng: zero.trng, clock: zero.clock, board });
  gz.start();
  zero.clock.advance(60_000);
  assert.equal(gz.status().state, "failed");

  const open = (o: Partial<SimRngRegisterOptions>) => {
    const r = rig(o);
    const g = createEntropyGate({ trng: r.trng, clock: r.clock, board });
    g.start();
    let ms = 0;
    while (g.status().state === "gathering" && ms < 600_000) { r.clock.advance(10); ms += 10; }
    return { state: g.status().state, ms, raw: r.reg.reads };
  };
  const healthy = open({ kind: "healthy", seed: 3 });
  assert.equal(healthy.state, "ready");
  const strong = open({ kind: "biased", p: 0.97, seed: 3 });
  assert.equal(strong.state, "failed", "a register stuck near all-ones fails its health tests");
  const mild = open({ kind: "biased", p: 0.6, seed: 3 });
  assert.ok(mild.state === "ready" && mild.raw >= healthy.raw, `mild bias: ${mild.state} after ${mild.raw} reads (healthy ${healthy.raw})`);
});

test("espruinoWifiOn reads Wifi.getStatus().mode", () => {
  let mode: unknown = "off";
  const on = espruinoWifiOn((name) => { assert.equal(name, "Wifi"); return { getStatus: () => ({ mode }) }; });
  assert.equal(on(), false);
  mode = "sta";
  assert.equal(on(), true);
  mode = undefined;
  assert.equal(on(), false);
});

test("createEspruinoHal gives an esp32 board the register driver (peek32 + Wifi), and refuses without them", async () => {
  const { createEspruinoHal } = await import("../../../hal/espruino/board.ts");
  const { createEspruinoMock } = await import("../espruino-mock.ts");
  const m = createEspruinoMock();
  const board = loadBoard("esp32");
  const reg = new SimRngRegister({ address: ESP32_RNG_DATA_REG, kind: "healthy", seed: 9 });
  let mode = "sta";
  const flash = {} as never;
  const hal = createEspruinoHal(board, flash, { env: m.env, peek32: (a) => reg.peek32(a), require: () => ({ getStatus: () => ({ mode }) }) });
  const box: { got: { err: HalError | null; n: number } | null } = { got: null };
  hal.trng.read(64, (err, b) => { box.got = { err, n: b ? b.length : 0 }; });
  m.clock.advance(10);
  assert.deepEqual(box.got, { err: null, n: 64 });
  assert.equal(reg.reads, 16);
  mode = "off";
  hal.trng.read(64, (err) => { box.got = { err, n: 0 }; });
  m.clock.advance(10);
  assert.equal(box.got?.err, "OFF");
  assert.throws(() => createEspruinoHal(board, flash, { env: m.env }), /peek32/);
});
