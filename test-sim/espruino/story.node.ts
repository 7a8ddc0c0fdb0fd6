/**
 * The main job's story on the real Espruino interpreter (the espruino-linux board), step by step:
 * flash the board image with the espruino CLI (build/flash.node.ts), boot it from Storage on
 * espruino-v12000, wait for the entropy gate, press the virtual button from the console, pair with
 * the commissioner CLI over TCP, cut the power (SIGKILL) and boot again from Storage and the flash
 * file, open a Noise KK session, echo, read the audit trail, decommission. Must run inside a
 * private network namespace (test-sim/espruino/linux-device.node.ts, runInNetns).
 *
 * The device's stdin is an open pipe, never /dev/null: with stdin at end of file the Linux build's
 * input thread races the telnet input and the upload dies with "ASSERT(len <= 64) FAILED AT
 * src/jsdevices.c:601" (linux-device.node.ts, docs/boards.md).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flash } from "../../build/flash.node.ts";
import { runCommissioner } from "../../commissioner/cli.node.ts";
import { startLinuxEspruino, type LinuxEspruino } from "./linux-device.node.ts";

export const BOARD = "espruino-linux";
export const LINK_PORT = 5555;
export const LINK_URL = "tcp://127.0.0.1:" + LINK_PORT;
export const TELNET_URL = "tcp://127.0.0.1:2323";

/**
 * `peakVars`: the highest `process.memory().usage` (JsVars in use) sampled on the console every
 * second during the step. The console answers between event-loop ticks, so a peak inside one
 * tick (an X25519) is not seen; `totalVars` is the build's fixed count.
 */
export interface StoryStep { step: string; ms: number; detail?: string; peakVars?: number; totalVars?: number }

/** Samples process.memory() on the console until stopped; resolves with the highest usage seen. */
export function sampleMemory(w: EspruinoWorld): { stop(): Promise<{ peak: number; total: number }> } {
  let peak = 0, total = 0, running = true;
  const loop = (async () => {
    while (running) {
      try {
        const out = await w.device!.repl("JSON.stringify(process.memory())", 20000);
        const m = JSON.parse(out.split("\n").filter((l) => l.startsWith("{")).pop() ?? "{}");
        if (typeof m.usage === "number" && m.usage > peak) peak = m.usage;
        if (typeof m.total === "number") total = m.total;
      } catch {
        // the device is busy or being cut: no sample
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { peak, total };
    },
  };
}

export interface EspruinoWorld {
  dir: string;
  commissionerDir: string;
  device: LinuxEspruino | null;
  binary: string;
  log: (line: string) => void;
}

export function newWorld(binary = "espruino-v12000", log: (l: string) => void = () => {}): EspruinoWorld {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-espruino-"));
  return { dir, commissionerDir: join(dir, "commissioner"), device: null, binary, log };
}

export function disposeWorld(w: EspruinoWorld): Promise<void> {
  const d = w.device;
  w.device = null;
  return (d ? d.kill() : Promise.resolve()).then(() => rmSync(w.dir, { recursive: true, force: true }));
}

/**
 * Flashes the board image as `npm run flash -- --port tcp://127.0.0.1:2323` does: the device's
 * Espruino runs with an empty flash file, the espruino CLI writes firstlight.json and .bootcde to
 * its Storage over the telnet console and load()s it; resolves once the image has started there.
 */
export async function flashWorld(w: EspruinoWorld, code: string): Promise<void> {
  if (w.device) await w.device.kill();
  w.device = await startLinuxEspruino({ dir: w.dir, binary: w.binary, ports: [LINK_PORT] });
  // The longest window (15 min): a pairing from Storage takes minutes on a loaded machine.
  await flash({ board: BOARD, port: TELNET_URL, code, windowMs: 900000 }, (l) => w.log("flash: " + l));
  await waitStarted(w, 180000);
}

/**
 * Flashes without telnet: `npm run flash -- --out FILE`'s upload (what the CLI would send) run as
 * the command-line file of the unlimited `espruino` build, as docs/boards.md documents for the Linux
 * build; it writes firstlight.json and .bootcde to the world's Storage and load()s the image. The
 * device is then cut as soon as the image has started: the next boot is the first one that counts.
 * For runs whose subject is not the flashing (the power cuts, the bench): seconds instead of the
 * telnet upload and a first boot from Storage.
 */
export async function flashWorldByFile(w: EspruinoWorld, code: string): Promise<void> {
  if (w.device) await w.device.kill();
  const upload = join(w.dir, "upload.js");
  await flash({ board: BOARD, out: upload, code, windowMs: 900000 }, (l) => w.log("flash: " + l));
  w.device = await startLinuxEspruino({ dir: w.dir, binary: "espruino", telnet: false, file: "upload.js", ports: [LINK_PORT] });
  await w.device.waitLog(/firstlight: /, 180000);
  const crash = w.device.lines.find((l) => /Uncaught|OUT OF MEMORY|ASSERT\(/.test(l));
  if (crash) throw new Error("the uploaded image did not start: " + crash.trim());
  await w.device.kill();
  w.device = null;
}

/** Waits until the image on the console has a board API: started, or refused with its reason. */
export async function waitStarted(w: EspruinoWorld, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const crash = w.device!.lines.find((l) => /Uncaught|OUT OF MEMORY|ASSERT\(/.test(l));
    if (crash) throw new Error(crash.trim());
    const out = await w.device!.repl(`typeof firstlight==="object"&&firstlight&&firstlight.board?JSON.stringify({problem:firstlight.board.problem,up:firstlight.board.status()!==null}):"{}"`, 60000);
    const st = JSON.parse(out.split("\n").filter((l) => l.startsWith("{")).pop() ?? "{}") as { problem?: string | null; up?: boolean };
    if (st.problem) throw new Error("firstlight: not started: " + st.problem);
    if (st.up) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`the image has not started ${timeoutMs / 1000} s after the upload`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * How a boot runs the image. "storage": `BINARY --telnet` runs .bootcde from Storage at power-on as
 * a board does (on the Linux build every read of that code goes to the flash file: about 10× a
 * board's time). "ram": the unlimited `espruino` build is given a two-line file that copies
 * .bootcde out of the same Storage into RAM and evaluates it: the same image and the same flash
 * file, at RAM speed, with variables unlimited (memory is not what such a boot measures).
 */
export type BootFrom = "storage" | "ram";

/** The command-line file of a RAM boot. The interval keeps a command-line run alive (Espruino leaves once nothing is pending). */
export const RAM_BOOT = 'setInterval(function(){},3600000);\neval(require("Storage").read(".bootcde")+"");\n';

/** Boots (or reboots after a cut) the device from its flash file. */
export async function bootWorld(w: EspruinoWorld, from: BootFrom = "storage", wrap?: string[]): Promise<LinuxEspruino> {
  if (w.device) await w.device.kill();
  let d: LinuxEspruino;
  if (from === "ram") {
    writeFileSync(join(w.dir, "ram-boot.js"), RAM_BOOT);
    d = await startLinuxEspruino({ dir: w.dir, binary: "espruino", file: "ram-boot.js", ports: [LINK_PORT], wrap });
  } else d = await startLinuxEspruino({ dir: w.dir, binary: w.binary, ports: [LINK_PORT] });
  w.device = d;
  await d.waitLog(/firstlight: (device started|not started)|Uncaught/, wrap ? 900000 : 120000);
  const crash = d.lines.find((l) => /Uncaught/.test(l));
  if (crash) throw new Error(crash);
  const bad = d.lines.find((l) => /firstlight: not started/.test(l));
  if (bad) throw new Error(bad);
  return d;
}

export async function status(w: EspruinoWorld): Promise<{ state: string; paired: boolean; failedAttempts: number; entropy: { state: string } }> {
  // From Storage on a loaded host one event-loop turn of the device (a gate step, a shred) can hold
  // the console for tens of seconds: the console answers only between turns.
  const out = await w.device!.repl("JSON.stringify(firstlight.board.status())", 180000);
  return JSON.parse(out.split("\n").filter((l) => l.startsWith("{")).pop() ?? "null");
}

export async function waitEntropy(w: EspruinoWorld, timeoutMs = 120000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const s = await status(w);
    if (s.entropy.state === "ready") return;
    if (s.entropy.state === "failed") throw new Error("entropy gate failed on the device");
    if (Date.now() - t0 > timeoutMs) throw new Error("entropy gate not open after " + timeoutMs / 1000 + " s");
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** `timeoutMs`: for the console's answer and the window's log line (longer under valgrind). */
export async function press(w: EspruinoWorld, ms = 250, timeoutMs = 30000): Promise<void> {
  const from = w.device!.lines.length;
  const out = await w.device!.repl(`firstlight.board.press(${ms})`, timeoutMs);
  if (!/true/.test(out)) throw new Error("the virtual button did not take the press: " + out);
  await w.device!.waitLog(/commissioning window open/, timeoutMs, from);
}

/** Runs the commissioner CLI in this process; returns its exit code and output. */
export async function cli(w: EspruinoWorld, argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runCommissioner([...argv, "--dir", w.commissionerDir], { out: (l) => { out.push(l); w.log("commission: " + l); }, err: (l) => { out.push(l); w.log("commission: " + l); } });
  return { code, out };
}

/** Commissioner step timeout (s): the device runs its image from Storage, which is slow on the Linux build. */
export const CLI_TIMEOUT_S = "600";

export interface StoryResult { steps: StoryStep[]; deviceId: string }

/**
 * Waits (through the reboot the device does itself after a decommission: load(), then .bootcde
 * again) until its console answers and it is unpaired. Each question gets 30 s: one asked while
 * the device reloads may never be answered.
 */
export async function waitUnpaired(w: EspruinoWorld, timeoutMs = 600000): Promise<void> {
  const t0 = Date.now();
  let last = "no answer";
  for (;;) {
    try {
      const out = await w.device!.repl("JSON.stringify(firstlight.board.status())", 30000);
      last = out.split("\n").filter((l) => l.startsWith("{")).pop() ?? out;
      const s = JSON.parse(last) as { paired?: boolean } | null;
      if (s && s.paired === false) return;
    } catch (e) {
      last = String((e as Error).message ?? e);
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`decommissioned, but the device is not unpaired after ${timeoutMs / 1000} s (last: ${last})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * The whole story on a fresh world: flash, gate, press, pair, power cut, boot from Storage, session
 * with echo and audit read, decommission. `say` gets one line per step. Throws on any failure.
 *
 * `work`: where the pairing and the session run. "storage" (npm start, the soak): every boot on
 * the world's binary from Storage, as on a board. "ram" (npm test): flashing, the start of the
 * first boot (cut before its entropy gate) and the boot after the pairing's power cut run from
 * Storage on the world's binary; the device root, the pairing and the session are made on a RAM
 * boot (BootFrom) of the same flash file, which saves minutes.
 */
export async function runStory(w: EspruinoWorld, code: string, say: (line: string) => void, work: BootFrom = "storage"): Promise<StoryResult> {
  const steps: StoryStep[] = [];
  let t = Date.now();
  let mem: ReturnType<typeof sampleMemory> | null = null;
  const sample = async () => {
    if (mem) await (mem as ReturnType<typeof sampleMemory>).stop();
    mem = w.device ? sampleMemory(w) : null;
  };
  const done = async (step: string, detail?: string) => {
    const ms = Date.now() - t;
    const m = mem ? await (mem as ReturnType<typeof sampleMemory>).stop() : null;
    mem = null;
    const st: StoryStep = { step, ms, detail };
    if (m && m.total) { st.peakVars = m.peak; st.totalVars = m.total; }
    steps.push(st);
    say(`${String(steps.length).padStart(2)}. ${step} (${(ms / 1000).toFixed(1)} s${st.peakVars ? `, peak ${st.peakVars} of ${st.totalVars} variables` : ""})${detail ? ": " + detail : ""}`);
    await sample();
    t = Date.now();
  };
  const where = (from: BootFrom) => from === "ram" ? "espruino, image copied from Storage to RAM" : `${w.binary}, from Storage`;
  await flashWorld(w, code);
  await done("flash", `npm run flash wrote .bootcde and firstlight.json over telnet to Storage in ${w.dir}/espruino.flash; ${w.binary} load()ed it`);
  if (work === "storage") {
    await waitEntropy(w);
    await done("entropy gate", "device root made; 256 bits credited from /dev/urandom");
  } else {
    // The first boot from Storage has started (flashWorld saw the board API); cut it before its
    // gate (minutes from Storage under load) and let the RAM boot make the device root.
    await bootWorld(w, "ram");
    await sample();
    await waitEntropy(w);
    await done("power cut", `SIGKILL during the first boot from Storage, then a boot on ${where("ram")}: device root made, unpaired, gate open`);
  }
  await press(w);
  await done("button", "firstlight.board.press(250) on the console: commissioning window open");
  const p = await cli(w, ["--code", code, "--device", LINK_URL, "--timeout", CLI_TIMEOUT_S, "--label", "espruino-linux"]);
  if (p.code !== 0) throw new Error("pairing failed:\n  " + p.out.join("\n  "));
  const id = (p.out.map((l) => l.match(/^device (\S+)\s+identity public key/)).find((m) => m) ?? [])[1];
  if (!id) throw new Error("no device id in the commissioner's output:\n  " + p.out.join("\n  "));
  await done("pairing", `commissioner CLI over TCP, device ${id} (${where(work)})`);
  await bootWorld(w, "storage");
  await sample();
  await waitEntropy(w);
  const s0 = await status(w);
  if (!s0.paired) throw new Error("after the power cut the device is not paired: " + JSON.stringify(s0));
  await done("power cut", `SIGKILL, then boot on ${where("storage")} and the flash file: still paired`);
  if (work === "ram") {
    await bootWorld(w, "ram");
    await sample();
    await waitEntropy(w);
    await done("power cut", `SIGKILL, boot on ${where("ram")}: paired`);
  }
  const s = await cli(w, ["session", "--device", LINK_URL, "--id", id, "--echo", "hello, espruino", "--audit", "--decommission", "--timeout", CLI_TIMEOUT_S]);
  if (s.code !== 0) throw new Error("session failed:\n  " + s.out.join("\n  "));
  if (!s.out.some((l) => /hello, espruino/.test(l))) throw new Error("no echo in:\n  " + s.out.join("\n  "));
  if (!s.out.some((l) => /audit/i.test(l))) throw new Error("no audit trail in:\n  " + s.out.join("\n  "));
  await done("session", `Noise KK, echo, audit read, decommission (${where(work)})`);
  if (mem) await (mem as ReturnType<typeof sampleMemory>).stop();
  await waitUnpaired(w);
  return { steps, deviceId: id };
}
