/**
 * Device-side cost of onboarding (run: `npx tsx build/build.ts --quiet && npx tsx bench/onboarding.bench.ts`):
 *  1. engine time of a pairing and of an operational session handshake (+ 2 echoes) on Node,
 *     QuickJS and Duktape: the built device image in the simulator (test-sim/sim), against the
 *     real commissioner over loopback TCP; only time inside engine calls counts;
 *  2. the same on Duktape in callgrind instructions, and in X25519-equivalents (instructions of
 *     one X25519 of the same image on the same engine);
 *  3. bytes on the wire, each way.
 * The device is pumped with round trips that move no virtual time, so it only does what the bytes
 * ask; each round trip's own cost (the simulator bridge) is measured and taken off.
 * Method for (2): run A boots and opens the gate; run I does the same plus 20 idle round trips;
 * run B does I, then pairs, reboots (a new duk process), opens the gate again and runs a session.
 * Every boot is the same deterministic scenario, so pairing = B's first process − I − its round
 * trips, session = B's second process − A − its round trips.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { commission, openCommissionerState, runSession } from "../commissioner/cli.node.ts";
import { loadBoard } from "../build/boards.ts";
import type { EngineName } from "../test-sim/sim/engines.ts";
import { DEVICE_IMAGE, SIM_IMAGE, SimDevice } from "../test-sim/sim/sim-device.ts";

export interface BenchRow { name: string; engine: string; value: number; unit: string; note?: string; section?: string }

const CODE = "20202021";
const MESSAGES = [{ kind: "echo" as const, text: "bench one" }, { kind: "echo" as const, text: "bench two" }];
const quiet = () => {};

const IDLE_STEPS = 20;

interface RunFigures {
  pairMs: number;
  sessionMs: number;
  /** Engine ms of one idle round trip (5 ms of virtual time, nothing to do): the bridge's own cost. */
  idleStepMs: number;
  /** Round trips during the pairing and the session (the realtime ticks included). */
  pairSteps: number;
  sessionSteps: number;
  /** Round trips of the button press and the window opening, before the pairing. */
  windowSteps: number;
  pairing: { toDevice: number; fromDevice: number };
  session: { toDevice: number; fromDevice: number };
}

/**
 * Boots a device and opens its gate; "idle" adds IDLE_STEPS idle round trips; "full" adds them,
 * then pairs, reboots and runs a session.
 */
async function scenario(engine: EngineName, dir: string, mode: "gate" | "idle" | "full", dukWrapper?: string[]): Promise<RunFigures> {
  let steps = 0;
  const dev = await SimDevice.start({
    engine,
    board: loadBoard("sim"),
    flashPath: join(dir, "flash.bin"),
    eraseFlash: true,
    setupCode: CODE,
    mode: "device",
    images: [DEVICE_IMAGE, SIM_IMAGE],
    trng: { kind: "healthy", seed: "bench" },
    engineOptions: dukWrapper ? { dukWrapper, callTimeoutMs: 600_000 } : undefined,
    onStep: () => void steps++,
  });
  const fig: RunFigures = { pairMs: NaN, sessionMs: NaN, idleStepMs: NaN, pairSteps: 0, sessionSteps: 0, windowSteps: 0, pairing: { toDevice: 0, fromDevice: 0 }, session: { toDevice: 0, fromDevice: 0 } };
  const gate = async () => {
    const a = await dev.advanceUntil((x) => x.gate.state !== "gathering", 120_000, 100);
    if (!a || a.gate.state !== "ready") throw new Error(`${engine}: the entropy gate did not open`);
  };
  try {
    await gate();
    if (mode === "gate") return fig;
    const idle0 = dev.engineMs;
    for (let i = 0; i < IDLE_STEPS; i++) await dev.step({ advance: 0 });
    fig.idleStepMs = (dev.engineMs - idle0) / IDLE_STEPS;
    if (mode === "idle") return fig;
    const window0 = steps;
    await dev.press(250);
    await dev.advance(1500, 50);
    await dev.listen();
    const stateDir = join(dir, "commissioner");
    rmSync(stateDir, { recursive: true, force: true });
    let st = await openCommissionerState(stateDir);
    let id: string;
    fig.windowSteps = steps - window0;
    let ms0 = dev.engineMs, in0 = dev.bytesIn, out0 = dev.bytesOut, steps0 = steps;
    try {
      id = (await pump(dev, commission({ code: CODE, device: dev.url, label: "bench", state: st, out: quiet }))).record.id;
    } finally {
      await st.close();
    }
    await dev.step();
    fig.pairMs = dev.engineMs - ms0;
    fig.pairSteps = steps - steps0;
    fig.pairing = { toDevice: dev.bytesIn - in0, fromDevice: dev.bytesOut - out0 };

    await dev.reboot();
    await gate();
    await dev.listen();
    st = await openCommissionerState(stateDir);
    ms0 = dev.engineMs; in0 = dev.bytesIn; out0 = dev.bytesOut; steps0 = steps;
    try {
      await pump(dev, runSession({ device: dev.url, id, state: st, messages: MESSAGES, out: quiet }));
    } finally {
      await st.close();
    }
    await new Promise((r) => setTimeout(r, 20));
    await dev.step();
    fig.sessionMs = dev.engineMs - ms0;
    fig.sessionSteps = steps - steps0;
    fig.session = { toDevice: dev.bytesIn - in0, fromDevice: dev.bytesOut - out0 };
    return fig;
  } finally {
    await dev.close();
  }
}

/**
 * Runs the device while `work` (the commissioner) is busy: round trips with no virtual time, so
 * the device only does what the bytes ask (a realtime clock would also sample the TRNG on the
 * way, in proportion to how slow the engine is).
 */
async function pump<T>(dev: SimDevice, work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.then(() => { done = true; }, () => { done = true; });
  while (!done) {
    await dev.step({ advance: 0 });
    await new Promise((r) => setTimeout(r, 1));
  }
  await settled;
  return work;
}

function valgrindAvailable(): boolean {
  return spawnSync("valgrind", ["--version"], { encoding: "utf8" }).status === 0;
}
function dukAvailable(): boolean {
  return spawnSync("duk", ["-e", "print(1)"], { encoding: "utf8" }).stdout?.trim() === "1";
}

/** Instruction totals of every callgrind output file in `dir`, in process start order. */
function totals(dir: string): number[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith("cg."))
    .map((f) => ({ pid: Number(f.slice(3)), text: readFileSync(join(dir, f), "utf8") }))
    .sort((a, b) => a.pid - b.pid)
    .map(({ text }) => {
      const m = /^(?:summary|totals):\s*(\d+)/m.exec(text);
      if (!m) throw new Error("a callgrind output without a total");
      return Number(m[1]);
    });
}

const wrapper = (dir: string) => ["valgrind", "--tool=callgrind", `--callgrind-out-file=${join(dir, "cg.%p")}`];

/** Instructions of one X25519 in the device image on duk: (N + 1 ops) − (1 op), over N. */
function x25519Instructions(dir: string): number {
  const N = 4;
  const script = (n: number) => {
    const f = join(dir, `x25519-${n}.js`);
    writeFileSync(f, `(function () { var c = firstlight.crypto, k = new Uint8Array(32), u = new Uint8Array(32), i;
      for (i = 0; i < 32; i++) { k[i] = i + 7; u[i] = 9 * i + 1; }
      for (i = 0; i < ${n}; i++) u = c.x25519(k, u); print(u[0]); })();`);
    return f;
  };
  const run = (n: number) => {
    const r = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${join(dir, "x.out")}`, "duk", DEVICE_IMAGE, script(n)], { encoding: "utf8" });
    const m = /Collected\s*:\s*(\d+)/.exec(r.stderr ?? "");
    if (r.status !== 0 || !m) throw new Error(`callgrind duk failed (${r.status}): ${(r.stderr ?? "").slice(-300)}`);
    return Number(m[1]);
  };
  return (run(N + 1) - run(1)) / N;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const engines: EngineName[] = dukAvailable() ? ["node", "quickjs", "duk"] : ["node", "quickjs"];
  let wire: RunFigures | null = null;
  for (const engine of engines) {
    const dir = mkdtempSync(join(tmpdir(), "fl-bench-onboard-"));
    try {
      const f = await scenario(engine, dir, "full");
      wire ??= f;
      const section = "engine time (inside engine calls, less the idle cost of each round trip)";
      const net = (ms: number, n: number) => Math.max(0, ms - n * f.idleStepMs);
      rows.push({ section, name: "pairing (CPace + Noise XXpsk3, identity key generated and stored)", engine, value: net(f.pairMs, f.pairSteps), unit: "ms", note: `${f.pairSteps} round trips` });
      rows.push({ section, name: "session (Noise KK handshake + 2 echoes)", engine, value: net(f.sessionMs, f.sessionSteps), unit: "ms", note: `${f.sessionSteps} round trips` });
      rows.push({ section, name: "one idle round trip (the simulator bridge, not the firmware)", engine, value: f.idleStepMs, unit: "ms" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (wire) {
    for (const [what, w] of [["pairing", wire.pairing], ["session (handshake + 2 echoes of 9 bytes)", wire.session]] as const) {
      rows.push({ section: "bytes on the wire", name: `${what}: commissioner → device`, engine: "any", value: w.toDevice, unit: "B" });
      rows.push({ section: "bytes on the wire", name: `${what}: device → commissioner`, engine: "any", value: w.fromDevice, unit: "B" });
    }
  }
  if (engines.includes("duk") && valgrindAvailable()) {
    const dir = mkdtempSync(join(tmpdir(), "fl-bench-cg-"));
    try {
      const [a, i, b] = ["a", "i", "b"].map((d) => join(dir, d));
      for (const d of [a, i, b]) mkdirSync(d);
      await scenario("duk", a, "gate", wrapper(a));
      await scenario("duk", i, "idle", wrapper(i));
      const f = await scenario("duk", b, "full", wrapper(b));
      const [gateOnly] = totals(a), [withIdle] = totals(i), [first, second] = totals(b);
      const idleStep = (withIdle - gateOnly) / IDLE_STEPS;
      // Both processes of the full run did boot + gate + the idle steps; the first then paired, the second ran the session.
      const pairing = first - withIdle - (f.windowSteps + f.pairSteps) * idleStep;
      const session = second - gateOnly - f.sessionSteps * idleStep;
      const x = x25519Instructions(dir);
      const section = "Duktape, callgrind instructions (less boot, gate and the bridge's idle round trips)";
      rows.push({ section, name: "one X25519 (same image, same engine)", engine: "duk", value: x, unit: "instr" });
      rows.push({ section, name: "one idle round trip (the simulator bridge)", engine: "duk", value: idleStep, unit: "instr" });
      rows.push({ section, name: "pairing", engine: "duk", value: pairing, unit: "instr", note: `${(pairing / x).toFixed(1)} X25519-equivalents (7 X25519 + 1 Elligator2 in the protocol)` });
      rows.push({ section, name: "session handshake + 2 echoes", engine: "duk", value: session, unit: "instr", note: `${(session / x).toFixed(1)} X25519-equivalents (6 X25519 in the protocol)` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((rows) => {
    for (const r of rows) console.log(`${(r.section ?? "").padEnd(58)} ${r.name.padEnd(70)} ${r.engine.padEnd(8)} ${r.value.toFixed(r.unit === "instr" ? 0 : 1)} ${r.unit}${r.note ? "  " + r.note : ""}`);
  });
}
