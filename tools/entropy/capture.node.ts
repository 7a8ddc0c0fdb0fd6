/**
 * Raw samples from a board for `npm run entropy`: a small ES5 script runs on the device (uploaded
 * and run by the espruino CLI, `espruino -p PORT FILE`), reads the board's raw source exactly as its
 * driver does (the RNG register with peek32 on esp32-rng / esp8266-rng boards, refusing while Wi-Fi
 * is off; E.hwRand() elsewhere), and prints the bytes as hex lines, `FLCAP <hex>` … `FLCAP-END n`.
 * The host parses them into a raw sample file (one sample per byte, NIST's format).
 *
 * --restarts R repeats the capture R times after a `reset()` each (90B §3.1.4 restart data: R rows
 * of the first samples after a restart), written to FILE.restarts.
 *
 * --sim runs the same script in a node vm over the board's simulated source (hal/sim: the
 * simulated RNG register, or the scripted TRNG), so the capture path is tested without a board.
 * ESPRUINO_CLI overrides the command (default `npx --no-install espruino`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { loadBoard } from "../../build/boards.ts";
import type { BoardConfig } from "../../hal/board-config.ts";
import { SimRngRegister } from "../../hal/sim/esp-rng-register.ts";
import { SimTrng } from "../../hal/sim/trng.ts";
import { ESP32_RNG_DATA_REG, ESP8266_RNG_REG } from "../../hal/espruino/esp-rng.ts";
import { JITTER_LOOP } from "../../hal/espruino/jitter.ts";
import { SimJitterClock } from "../../hal/sim/jitter.ts";
import { SimClock } from "../../hal/sim/clock.ts";

export interface CaptureOptions {
  board: string;
  /** Serial port or BLE address for the espruino CLI; null with `sim`. */
  port: string | null;
  out?: string;
  samples?: number;
  restarts?: number;
  /** Restart rows: samples per restart (default 1000). */
  rowSamples?: number;
  source?: "trng" | "jitter";
  /** Seed of the simulated source (sim path). */
  seed?: string;
  log?: (line: string) => void;
}

export interface CaptureResult { file: string; samples: number; restartFile?: string; restarts?: number }

function registerOf(board: BoardConfig): number | null {
  if (board.trng.source === "esp32-rng") return ESP32_RNG_DATA_REG;
  if (board.trng.source === "esp8266-rng") return ESP8266_RNG_REG;
  return null;
}

/** The device-side script (ES5, no firstlight image needed): the board's TRNG, or with `jitter` its timing-jitter source. */
export function captureScript(board: BoardConfig, n: number, reset: boolean, source: "trng" | "jitter" = "trng"): string {
  if (source === "jitter") return jitterScript(n, reset);
  const reg = registerOf(board);
  return `${reset ? "reset();\n" : ""}(function () {
  var N = ${n}, REG = ${reg === null ? "null" : "0x" + reg.toString(16)}, line = "", i = 0, k, w;
  function hex(b) { return (b < 16 ? "0" : "") + b.toString(16); }
  if (REG !== null) {
    var on = false;
    try { var s = require("Wifi").getStatus(); on = !!s && typeof s.mode === "string" && s.mode !== "off"; } catch (e) { on = false; }
    if (!on) { print("FLCAP-ERROR the radio is off: the RNG register is pseudo-random; start Wi-Fi (station or AP) first"); return; }
  }
  while (i < N) {
    w = REG !== null ? peek32(REG) : E.hwRand();
    for (k = 0; k < 4 && i < N; k++, i++) {
      line += hex((w >>> (8 * k)) & 255);
      if (line.length >= 128) { print("FLCAP " + line); line = ""; }
    }
  }
  if (line) print("FLCAP " + line);
  print("FLCAP-END " + N);
})();
`;
}

/** The jitter driver's sample (hal/espruino/jitter.ts jitterSample), one byte per sample. */
function jitterScript(n: number, reset: boolean): string {
  return `${reset ? "reset();\n" : ""}(function () {
  var N = ${n}, LOOP = ${JITTER_LOOP}, line = "", i, k, t0, acc, b;
  for (i = 0; i < N; i++) {
    t0 = getTime(); acc = 0;
    for (k = 0; k < LOOP; k++) acc = (acc * 31 + k) | 0;
    b = Math.round((getTime() - t0) * 1e6) & 255;
    line += (b < 16 ? "0" : "") + b.toString(16);
    if (line.length >= 128) { print("FLCAP " + line); line = ""; }
  }
  if (line) print("FLCAP " + line);
  print("FLCAP-END " + N);
})();
`;
}

/** The sample bytes in the device's output; throws on FLCAP-ERROR or a short capture. */
export function parseCapture(text: string, n: number): Uint8Array {
  const out: number[] = [];
  let ended = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^>+/, "").trim();
    if (line.startsWith("FLCAP-ERROR")) throw new Error("the board says: " + line.slice(12));
    if (line.startsWith("FLCAP-END")) { ended = true; break; }
    if (line.startsWith("FLCAP ")) {
      const h = line.slice(6);
      if (!/^([0-9a-f]{2})+$/.test(h)) throw new Error(`malformed capture line: ${line.slice(0, 40)}`);
      for (let i = 0; i < h.length; i += 2) out.push(parseInt(h.slice(i, i + 2), 16));
    }
  }
  if (!ended || out.length !== n) throw new Error(`capture incomplete: ${out.length} of ${n} samples${ended ? "" : ", no FLCAP-END"}`);
  return new Uint8Array(out);
}

/** Runs the script in a vm over the board's simulated source: what a board prints. */
export function runSimulated(board: BoardConfig, script: string, seed: string, radio = true): string {
  const lines: string[] = [];
  const reg = registerOf(board);
  const register = reg === null ? null : new SimRngRegister({ address: reg, kind: "healthy", seed, radio });
  const trng = new SimTrng({ kind: "healthy", seed });
  const jitterClock = new SimJitterClock(new SimClock(), seed);
  const ctx = {
    print: (s: string) => lines.push(String(s)),
    getTime: () => jitterClock.getTime(),
    peek32: (a: number) => (register ? register.peek32(a) : 0),
    require: (name: string) => {
      if (name !== "Wifi") throw new Error(`no module ${name}`);
      return { getStatus: () => ({ mode: register && register.radio ? "sta" : "off" }) };
    },
    reset: () => {},
    E: {
      hwRand: () => {
        let w = 0;
        trng.read(4, (_e, b) => { w = (b![0] | (b![1] << 8) | (b![2] << 16) | (b![3] << 24)) | 0; });
        return w;
      },
    },
  };
  vm.runInNewContext(script, ctx, { timeout: 60_000 });
  return lines.join("\n");
}

function runOnBoard(port: string, script: string): string {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-capture-"));
  const file = join(dir, "capture.js");
  writeFileSync(file, script);
  const cli = (process.env.ESPRUINO_CLI ?? "npx --no-install espruino").split(" ");
  const r = spawnSync(cli[0], [...cli.slice(1), "-p", port, file], { encoding: "utf8", timeout: 600_000, maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`could not run the espruino CLI (${cli.join(" ")}): ${r.error.message}; install it with npm install -g espruino, or set ESPRUINO_CLI`);
  if (r.status !== 0 && !/FLCAP-END/.test(r.stdout)) throw new Error(`the espruino CLI exited with ${r.status}: ${(r.stderr || r.stdout).slice(-400)}`);
  return r.stdout;
}

export async function capture(o: CaptureOptions): Promise<CaptureResult> {
  const board = loadBoard(o.board);
  if (board.engine !== "espruino" && board.engine !== "sim") throw new Error(`board ${board.name} runs ${board.engine}: the capture script is for Espruino boards`);
  const source = o.source ?? "trng";
  if (source === "jitter" && !board.jitter) throw new Error(`board ${board.name} has no jitter source`);
  const n = o.samples ?? 1_000_000, log = o.log ?? (() => {});
  if (!(n >= 1 && Number.isInteger(n))) throw new Error("--samples must be a positive integer");
  const sim = o.port === null, seed = o.seed ?? "capture";
  const run = (count: number, reset: boolean, tag: string) => {
    const script = captureScript(board, count, reset, source);
    return parseCapture(sim ? runSimulated(board, script, seed + tag) : runOnBoard(o.port!, script), count);
  };
  const file = o.out ?? `${board.name}${source === "jitter" ? "-jitter" : ""}-${sim ? "sim" : "board"}.bin`;
  log(`capturing ${n} raw samples of ${source === "jitter" ? board.jitter!.source : board.trng.source} from ${sim ? "the simulated source" : o.port} …`);
  const data = run(n, false, "");
  writeFileSync(file, data);
  const res: CaptureResult = { file, samples: n };
  if (o.restarts) {
    const rows = o.restarts, cols = o.rowSamples ?? 1000, m = new Uint8Array(rows * cols);
    for (let r = 0; r < rows; r++) m.set(run(cols, true, "/restart" + r), r * cols);
    res.restartFile = file + ".restarts";
    res.restarts = rows;
    writeFileSync(res.restartFile, m);
  }
  return res;
}
