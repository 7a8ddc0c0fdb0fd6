/**
 * The main job's story, as a function the CLI (test-sim/main.ts) and the tests both run: a device
 * boots from the built images on an engine, its entropy gate fills, the button opens the
 * commissioning window, the commissioner pairs over a real loopback TCP socket, the device reboots
 * from its flash file, and an operational session exchanges encrypted messages.
 */
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import type { BoardConfig } from "../../hal/board-config.ts";
import { commission, openCommissionerState, runSession } from "../../commissioner/cli.node.ts";
import { setupCodeProblem } from "../../commissioner/pairing.ts";
import { STARTUP_SAMPLES } from "../../firmware/entropy/health.ts";
import type { EngineName } from "./engines.ts";
import { DEVICE_IMAGE, SIM_IMAGE, SimDevice, type StepAnswer } from "./sim-device.ts";

export interface StoryOptions {
  engine: EngineName;
  board: BoardConfig;
  boardSource: string;
  code: string;
  /** The device's flash file; it is erased at the start (a factory-fresh device). */
  flashPath: string;
  /** The commissioner's state (registry, keys); emptied at the start. */
  commissionerDir: string;
  /** Draw the gate's bar in place (a terminal) instead of a few lines. */
  tty: boolean;
  /** Real ms per frame of the gate animation (0: as fast as possible). */
  frameMs?: number;
  /** The simulated TRNG's seed (default "firstlight-sim"): the same seed, the same device identity on every engine. */
  seed?: string;
  /** False when the seed was drawn at random for this run (the report says how to repeat it). */
  seedAsked?: boolean;
  /** Messages of the operational session. */
  messages?: { kind: "echo" | "text"; text: string }[];
  /** Key lifecycle after the session, in a second session: read the audit trail, rotate the identity key, decommission. */
  lifecycle?: { audit?: boolean; rotate?: boolean; rotateStorage?: boolean; decommission?: boolean };
  out: (line: string) => void;
  /** Writes without a newline (the bar in place). */
  write?: (s: string) => void;
}

export interface StoryResult {
  ok: boolean;
  deviceId: string;
  identityPublic: string;
  timings: { [phase: string]: number };
  bytesOnWire: { toDevice: number; fromDevice: number };
  engineMs: number;
  faults: string[];
  sessionEchoes: number;
}

const rel = (p: string) => relative(process.cwd(), p) || p;
const kb = (n: number) => (n / 1024).toFixed(1) + " KB";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function bar(credited: number, needed: number, width = 32): string {
  const f = Math.max(0, Math.min(width, Math.round((credited / needed) * width)));
  return "[" + "█".repeat(f) + "░".repeat(width - f) + "]";
}

/** The LED's level every `everyMs` from `from` to `to`, from its change list, as ▔ (on) and ▁ (off). */
export function ledTrace(changes: [number, boolean][], initial: boolean, from: number, to: number, everyMs = 100): string {
  let s = "", on = initial, i = 0;
  for (let t = from; t < to; t += everyMs) {
    while (i < changes.length && changes[i][0] <= t) on = changes[i++][1];
    s += on ? "▔" : "▁";
  }
  return s;
}

class StoryError extends Error {}

export async function runStory(o: StoryOptions): Promise<StoryResult> {
  const problem = setupCodeProblem(o.code);
  if (problem) throw new StoryError(problem);
  const out = o.out;
  const timings: StoryResult["timings"] = {};
  const T0 = performance.now();
  let mark = T0;
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = now - mark;
    mark = now;
  };
  const b = o.board;
  const images = [DEVICE_IMAGE, SIM_IMAGE];
  for (const f of images) statSync(f); // both built, or ENOENT names the missing one

  const ledChanges: [number, boolean][] = [];
  // While the bar redraws in place, the device's lines wait, then follow it.
  let held: string[] | null = null;
  const deviceLog = (t: number, line: string) => {
    const l = `   device  t=${(t / 1000).toFixed(3)} s  ${line}`;
    if (held) held.push(l);
    else out(l);
  };
  mkdirSync(join(o.flashPath, ".."), { recursive: true });
  rmSync(o.commissionerDir, { recursive: true, force: true });

  out("firstlight: a device's first boot, onboarding and first session, in the simulator");
  out("");
  out(`   board    ${b.name} (${o.boardSource}): flash ${b.flash.pageCount} × ${b.flash.pageSize} B, TRNG credited ${b.trng.bitsPerByte} bit/B at ${b.trng.bytesPerSecond} B/s, gate ${b.entropy.gateBits} bits`);
  out(`   engine   ${o.engine}${o.engine === "node" ? " (vm context)" : o.engine === "quickjs" ? " (wasm, in-process)" : " (duk -i, driven over a pipe)"}`);
  out(`   images   ${images.map((f) => `${rel(f)} (${kb(statSync(f).size)})`).join(" + ")}`);
  out(`   flash    ${rel(o.flashPath)} (erased: a device fresh from the factory)`);
  out(`   TRNG     healthy scenario, seed ${JSON.stringify(o.seed ?? "firstlight-sim")}${o.seedAsked === false ? " (drawn for this run: every simulated device differs; --seed repeats one)" : " (the run is deterministic: same seed, same identity key)"}`);
  if (b.trng.source === "esp32-rng" || b.trng.source === "esp8266-rng")
    out(`            read by the board's driver (hal/espruino/esp-rng.ts) with peek32 from a simulated RNG register, Wi-Fi on`);
  out("");

  // 1. Boot.
  out("1. boot");
  const dev = await SimDevice.start({
    engine: o.engine,
    board: b,
    flashPath: o.flashPath,
    eraseFlash: true,
    setupCode: o.code,
    mode: "device",
    images,
    trng: { kind: "healthy", seed: o.seed ?? "firstlight-sim" },
    onLog: deviceLog,
    onLed: (t, on) => ledChanges.push([t, on]),
    onFault: (f) => out(`   FAULT   ${f}`),
  });
  const result: StoryResult = { ok: false, deviceId: "", identityPublic: "", timings, bytesOnWire: { toDevice: 0, fromDevice: 0 }, engineMs: 0, faults: dev.faults, sessionEchoes: 0 };
  try {
    let a = await dev.step();
    if (a.mode !== "device") throw new StoryError("the engine did not boot the device image");
    if (a.status === null || dev.faults.length) throw new StoryError(`the device did not start on board ${b.name}: ${dev.faults.join("; ") || "no status"}`);
    lap("boot");

    // 2. The entropy gate.
    out("");
    out("2. entropy gate: no key is generated before the TRNG has passed its health tests and earned its credit");
    const slice = Math.max(10, Math.round((64 * 1000) / b.trng.bytesPerSecond / 2));
    // Two phases: the SP 800-90B start-up samples (health-tested, credited nothing), then credit.
    const warm = STARTUP_SAMPLES;
    let lastPrinted = -1;
    const draw = (x: StepAnswer, final = false) => {
      const g = x.gate, w = Math.min(g.raw, warm);
      const line = `   start-up ${bar(w, warm, 12)} ${String(w).padStart(4)}/${warm} samples   credit ${bar(g.credited, g.needed, 20)} ${String(g.credited).padStart(4)}/${g.needed} bits   t=${(x.t / 1000).toFixed(2)} s`;
      if (o.tty && o.write) {
        o.write("\r" + line + (final ? "\n" : ""));
        return;
      }
      const q = Math.floor((w / warm + g.credited / g.needed) * 2);
      if (q !== lastPrinted) out(line);
      lastPrinted = q;
    };
    if (o.tty && o.write) held = [];
    draw(a);
    const gateLimit = 120_000;
    while (a.gate.state === "gathering" && a.t < gateLimit) {
      a = await dev.step({ advance: slice });
      draw(a, a.gate.state !== "gathering");
      if (o.frameMs) await sleep(o.frameMs);
    }
    if (held) {
      if (a.gate.state === "gathering") o.write?.("\n");
      for (const l of held) out(l);
      held = null;
    }
    if (a.gate.state !== "ready") throw new StoryError(`the entropy gate did not open: ${a.gate.state}${a.gate.error ? " " + a.gate.error : ""}`);
    if (a.gate.observed !== a.gate.credited) out(`   (note: the host's observer counted ${a.gate.observed} bits)`);
    const gateOpenAt = a.t;
    lap("entropy gate");

    // 3. The button.
    out("");
    out("3. button: a short press (250 ms, with contact bounce) opens the commissioning window");
    const pressAt = a.t;
    await dev.press(250);
    a = await dev.advance(1500, 50);
    const state = a.status?.state ?? a.device;
    if (state !== "window-open") throw new StoryError(`after the press the device is ${JSON.stringify(state)}, not window-open`);
    out(`   LED     ${ledTrace(ledChanges, false, pressAt, a.t)}  (100 ms per mark: the window's slow blink)`);
    if (a.status?.windowRemainingMs !== undefined) out(`   window  open, ${(a.status.windowRemainingMs / 1000).toFixed(1)} s left`);
    lap("button");

    // 4. Pairing over TCP.
    out("");
    await dev.listen();
    dev.realtime(true);
    out(`4. pairing: the commissioner connects to ${dev.url} (a real loopback socket; the device's link)`);
    out("   CPace (draft-irtf-cfrg-cpace-21) on the setup code, then Noise XXpsk3 keyed by its result");
    const st = await openCommissionerState(o.commissionerDir);
    let deviceId = "";
    try {
      const r = await commission({ code: o.code, device: dev.url, label: "first light", state: st, out: (l) => out("   comm    " + l) });
      deviceId = r.record.id;
      result.identityPublic = r.record.identityPublic;
      out(`   paired in ${Math.round(r.ms.pairing)} ms`);
      out(`   identity key id ${r.record.id}   public key ${r.record.identityPublic}`);
      out(`   registry ${rel(join(st.dir, "registry.db"))}: ${r.record.id} ${r.record.status}, epoch ${r.record.epoch}, board ${r.record.board}, firmware ${r.record.firmware}`);
    } finally {
      await st.close();
    }
    result.deviceId = deviceId;
    a = await dev.step({ identity: true });
    dev.realtime(false);
    if (a.identity && a.identity !== result.identityPublic) throw new StoryError(`the device's identity key ${a.identity} is not the one the commissioner recorded`);
    if ((a.status?.state ?? a.device) !== "paired") throw new StoryError(`after pairing the device is ${a.status?.state ?? a.device}`);
    lap("pairing");

    // 5. The flash file.
    out("");
    const img = readFileSync(o.flashPath);
    const used = [...Array(b.flash.pageCount).keys()].filter((p) => img.subarray(p * b.flash.pageSize, (p + 1) * b.flash.pageSize).some((x) => x !== 0xff)).length;
    out(`5. flash: ${rel(o.flashPath)} holds the encrypted store: ${used} of ${b.flash.pageCount} pages in use, sha256 ${createHash("sha256").update(img).digest("hex").slice(0, 16)}…`);
    const mem = await dev.flashImage();
    if (!mem.equals(img)) throw new StoryError("the flash file differs from the device's flash");
    out("   (the file equals the device's flash: every program and erase went through to it)");

    // 6. Reboot.
    out("");
    out("6. reboot: the engine is thrown away (RAM gone) and a fresh one boots from the flash file");
    const before = { toDevice: dev.bytesIn, fromDevice: dev.bytesOut };
    await dev.reboot();
    a = await dev.step();
    const rebootState = a.status?.state ?? a.device;
    const ready = await dev.advanceUntil((x) => x.gate.state !== "gathering", gateLimit, 100);
    if (!ready || ready.gate.state !== "ready") throw new StoryError("after the reboot the entropy gate did not open");
    out(`   entropy gate open again after ${(ready.t / 1000).toFixed(2)} s of device time (fresh TRNG samples; the saved boot seed is mixed in, never credited)`);
    a = await dev.step({ identity: true });
    if ((a.status?.state ?? a.device) !== "paired") throw new StoryError(`after the reboot the device is ${a.status?.state ?? a.device} (${rebootState} at boot), not paired`);
    if (a.identity && a.identity !== result.identityPublic) throw new StoryError("after the reboot the device has a different identity key");
    out(`   the device came back paired, identity ${deviceId} restored from the store`);
    lap("reboot");

    // 7. The operational session.
    out("");
    await dev.listen();
    dev.realtime(true);
    out("7. operational session: Noise KK from the stored static keys with fresh ephemerals");
    const st2 = await openCommissionerState(o.commissionerDir);
    try {
      const msgs = o.messages ?? [
        { kind: "echo", text: "hello, device" },
        { kind: "echo", text: "the second message, counter 1" },
        { kind: "text", text: "first light!" },
        { kind: "echo", text: "and a third echo" },
      ];
      const s = await runSession({ device: dev.url, id: deviceId, state: st2, messages: msgs, out: (l) => out("   comm    " + l) });
      result.sessionEchoes = s.exchanged.filter((x) => x.received !== undefined).length;
      out(`   ${s.stats.sent} DATA sent, ${s.stats.received} received, every one encrypted and counter-checked`);
    } finally {
      await st2.close();
    }
    // Let the device see the close.
    await sleep(20);
    a = await dev.step();
    dev.realtime(false);
    lap("session");

    const lc = o.lifecycle ?? {};
    if (lc.audit || lc.rotate || lc.rotateStorage || lc.decommission) {
      out("");
      const what = [lc.audit && "read the audit trail", lc.rotate && "rotate the identity key", lc.rotateStorage && "rotate the storage key", lc.decommission && "decommission"].filter(Boolean).join(", then ");
      out(`8. key lifecycle, in a new authenticated session: ${what}`);
      await dev.listen();
      dev.realtime(true);
      const st3 = await openCommissionerState(o.commissionerDir);
      try {
        const r = await runSession({ device: dev.url, id: deviceId, state: st3, messages: [], audit: lc.audit, rotate: lc.rotate, rotateStorage: lc.rotateStorage, decommission: lc.decommission, out: (l) => out("   comm    " + l) });
        if (lc.rotate && !r.rotatedTo) throw new StoryError("the identity rotation did not complete");
        if (lc.decommission && !r.decommissioned) throw new StoryError("the device did not acknowledge the decommission");
        out(`   registry ${deviceId}: ${(await st3.registry.get(deviceId)).status}, epoch ${(await st3.registry.get(deviceId)).epoch}`);
      } finally {
        await st3.close();
      }
      await sleep(20);
      a = await dev.step();
      dev.realtime(false);
      const after = a.status?.state ?? a.device;
      if (lc.decommission && after !== "unpaired") throw new StoryError(`after the decommission the device is ${after}, not unpaired`);
      out(`   device state: ${after}${lc.decommission ? " (credentials crypto-shredded; a button press opens a new commissioning window)" : ""}`);
      lap("lifecycle");
    }

    result.bytesOnWire = { toDevice: dev.bytesIn, fromDevice: dev.bytesOut };
    result.engineMs = dev.engineMs;
    const total = performance.now() - T0;
    out("");
    out("summary");
    out(`   device ${deviceId} onboarded, rebooted from ${rel(o.flashPath)}, session done on ${o.engine}`);
    out(`   gate opened at t=${(gateOpenAt / 1000).toFixed(2)} s device time; bytes on the wire: pairing ${before.toDevice} → / ${before.fromDevice} ←, all ${result.bytesOnWire.toDevice} → / ${result.bytesOnWire.fromDevice} ←`);
    out("   " + Object.entries(timings).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(" · ") + ` · total ${(total / 1000).toFixed(1)} s (engine calls ${Math.round(dev.engineMs)} ms)`);
    if (dev.faults.length) out(`   ${dev.faults.length} fault(s) reported by the device`);
    result.ok = dev.faults.length === 0;
    out(result.ok ? "   OK" : "   FAILED");
    return result;
  } finally {
    await dev.close();
  }
}

export { StoryError };
