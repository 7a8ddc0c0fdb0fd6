/**
 * The native accelerator's numbers (docs/engines.md, "The native accelerator"):
 *  1. the Cortex-M kernel: Thumb instructions per X25519 counted under Unicorn (M4 and M0), blob,
 *     code and stack bytes, and the same C on the host (x86-64 instructions, callgrind);
 *  2. what one device-side pairing and one session cost in X25519s and SHA-2 blocks (bench/accel-ops.ts);
 *  3. the interpreter work of everything else, on the Espruino Linux build under callgrind: the
 *     device's counted hashes replayed (JS or require("crypto")), the Elligator2 map and the AEAD
 *     calls, and one portable X25519;
 *  4. a per-board estimate of device-side seconds for a pairing and a session, accelerated as the
 *     board file says and in pure JavaScript:
 *       native   = Thumb instructions × CPI / clock
 *       interp   = Espruino-build x86 instructions × κ × CPI / clock × GLUE
 *     with κ (Thumb or Xtensa instructions per x86-64 instruction of the same interpreter work), CPI
 *     and GLUE (framing, TLV, store, HMAC/HKDF glue the replay leaves out) as set out in BOARD_CPUS
 *     and docs/engines.md.
 *
 *   npx tsx build/build.ts --quiet && npx tsx bench/run.ts accel     (several minutes: callgrind)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCortexBlob, buildHostKernel } from "../build/accel-kernel.ts";
import { bundleEs5 } from "../build/build.ts";
import { ES5_OUT, ROOT } from "../build/paths.ts";
import { loadBoard } from "../build/boards.ts";
import { UNICORN_RUNNER, runLines, unicornPython } from "../test-sim/ports/cortex-m/runners.ts";
import { blocks, countDeviceOps, type DeviceOps } from "./accel-ops.ts";
import type { BenchRow } from "./run.ts";

const ESPRUINO = existsSync(join(ROOT, "../shared/engines/espruino/espruino")) ? join(ROOT, "../shared/engines/espruino/espruino") : "/work/shared/engines/espruino/espruino";
const ALICE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";

/** AEAD calls the device makes (docs/protocol.md): XXpsk3 messages 2 and 3 (s and payload each), PAIR_RESPONSE, PAIR_CONFIRM, PAIR_DONE; KK's two payloads. */
const AEAD_CALLS = { pairing: 7, session: 2 };
const AEAD_BYTES = 100;
/** Work the replay leaves out (framing, TLV, store writes, HMAC/HKDF/DRBG glue around the hashes). */
const GLUE = 1.5;

/**
 * Per board: clock, cycles per instruction, and κ = instructions of the board's ISA per x86-64
 * instruction for the interpreter's work. Justified in docs/engines.md.
 */
const BOARD_CPUS: Record<string, { cpu: string; mhz: number; cpi: number; kappa: number; interpreter: string }> = {
  puckjs: { cpu: "nRF52832 Cortex-M4F", mhz: 64, cpi: 1.3, kappa: 1.2, interpreter: "Espruino" },
  pico: { cpu: "STM32F401 Cortex-M4F", mhz: 84, cpi: 1.5, kappa: 1.2, interpreter: "Espruino" },
  esp32: { cpu: "ESP32 Xtensa LX6", mhz: 240, cpi: 1.5, kappa: 1.3, interpreter: "Espruino" },
  "nrf52840-jerry": { cpu: "nRF52840 Cortex-M4F", mhz: 64, cpi: 1.3, kappa: 1.2, interpreter: "JerryScript (bounded by Espruino's figures)" },
};

function callgrind(cmd: string, args: string[], cwd: string, input = ""): number {
  const r = spawnSync("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", cmd, ...args], { cwd, input, encoding: "utf8", maxBuffer: 64 << 20 });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`callgrind of ${cmd} ${args.join(" ")} failed: ${r.stderr.slice(-500)}`);
  if (!/done/.test(r.stdout) && cmd === ESPRUINO) throw new Error(`espruino script did not finish: ${r.stdout.slice(-800)}`);
  return Number(m[1]);
}

const ENTRY = `
import { useAccel } from "../firmware/crypto/accel.js";
import { x25519 } from "../firmware/crypto/x25519.js";
import { sha256 } from "../firmware/crypto/sha256.js";
import { sha512 } from "../firmware/crypto/sha512.js";
import { aeadSeal } from "../firmware/crypto/aead.js";
import { elligator2 } from "../firmware/protocol/cpace/elligator2.js";
B = { useAccel: useAccel, x25519: x25519, sha256: sha256, sha512: sha512, aeadSeal: aeadSeal, elligator2: elligator2 };
`;

/** An Espruino script: the bundle, inputs, then `work` ("" for the baseline that only loads). */
function script(lib: string, ops: DeviceOps | null, what: { native: boolean; x25519: boolean; elligator: boolean; aead: number }): string {
  // The same inputs every run: the baseline allocates what the workloads use.
  const lines = [
    "var B;", lib,
    "var buf = new Uint8Array(2048), k = new Uint8Array(32), u = new Uint8Array(32), key = new Uint8Array(32), nonce = new Uint8Array(12), pt = new Uint8Array(" + AEAD_BYTES + "); k[0] = 7; u[0] = 9;",
  ];
  if (what.native) lines.push('var C = require("crypto"); B.useAccel({ name: "espruino-crypto", sha256: function (d) { return new Uint8Array(C.SHA256(d)); }, sha512: function (d) { return new Uint8Array(C.SHA512(d)); } });');
  if (ops) {
    lines.push(`var L256 = ${JSON.stringify(ops.sha256)}, L512 = ${JSON.stringify(ops.sha512)}, i;`);
    lines.push("for (i = 0; i < L256.length; i++) B.sha256(buf.subarray(0, L256[i]));");
    lines.push("for (i = 0; i < L512.length; i++) B.sha512(buf.subarray(0, L512[i]));");
  }
  if (what.elligator) lines.push("B.elligator2(k);");
  for (let i = 0; i < what.aead; i++) lines.push("B.aeadSeal(key, nonce, pt, k);");
  if (what.x25519) lines.push("B.x25519(k, u);");
  lines.push('print("done");');
  return lines.join("\n");
}

interface EspruinoWork { base: number; x25519: number; elligator2: number; pairJs: number; pairNative: number; sessJs: number; sessNative: number }

async function espruinoWork(ops: { pairing: DeviceOps; session: DeviceOps }): Promise<EspruinoWork> {
  const dir = join(ES5_OUT, "bench");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "accel-entry.js"), ENTRY);
  const lib = await bundleEs5(join(dir, "accel-entry.js"), false);
  const cwd = mkdtempSync(join(tmpdir(), "fl-accel-bench-"));
  try {
    const run = (name: string, text: string): number => {
      writeFileSync(join(cwd, name + ".js"), text);
      return callgrind(ESPRUINO, [name + ".js"], cwd);
    };
    const base = run("base", script(lib, null, { native: false, x25519: false, elligator: false, aead: 0 }));
    const baseNative = run("base-native", script(lib, null, { native: true, x25519: false, elligator: false, aead: 0 }));
    const x = run("x25519", script(lib, null, { native: false, x25519: true, elligator: false, aead: 0 })) - base;
    const ell = run("elligator2", script(lib, null, { native: false, x25519: false, elligator: true, aead: 0 })) - base;
    const pairJs = run("pair-js", script(lib, ops.pairing, { native: false, x25519: false, elligator: false, aead: AEAD_CALLS.pairing })) - base;
    const pairNative = run("pair-native", script(lib, ops.pairing, { native: true, x25519: false, elligator: false, aead: AEAD_CALLS.pairing })) - baseNative;
    const sessJs = run("sess-js", script(lib, ops.session, { native: false, x25519: false, elligator: false, aead: AEAD_CALLS.session })) - base;
    const sessNative = run("sess-native", script(lib, ops.session, { native: true, x25519: false, elligator: false, aead: AEAD_CALLS.session })) - baseNative;
    return { base, x25519: x, elligator2: ell, pairJs, pairNative, sessJs, sessNative };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

function thumbCount(file: string, cpu: "m4" | "m0", line = `b ${ALICE}`): number {
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", file, "--cpu", cpu, "--count"], [line]);
  return Number(out[0].split(" ")[1]);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const m4 = buildCortexBlob("cortex-m4"), m0 = buildCortexBlob("cortex-m0");
  const thumbM4 = thumbCount(m4.file, "m4"), thumbM0 = thumbCount(m0.file, "m0");
  const thumbEll = thumbCount(m4.file, "m4", `e ${ALICE}`);
  const host = buildHostKernel();
  const x86 = (callgrind(host.runner, [], ROOT, `b ${ALICE}\nb ${ALICE}\n`) - callgrind(host.runner, [], ROOT, "")) / 2;
  const K = "Cortex-M kernel (ports/cortex-m)";
  rows.push({ section: K, engine: "Unicorn Cortex-M4", name: "X25519", value: thumbM4, unit: "Thumb instructions", target: { goal: "≤ 2 000 000", met: thumbM4 <= 2_000_000 } });
  rows.push({ section: K, engine: "Unicorn Cortex-M4", name: "Elligator 2 (CPace map)", value: thumbEll, unit: "Thumb instructions" });
  rows.push({ section: K, engine: "Unicorn Cortex-M0", name: "X25519", value: thumbM0, unit: "Thumb instructions", note: "no 32×32→64 multiply: libgcc's __aeabi_lmul; no board here needs M0" });
  rows.push({ section: K, engine: "host gcc -O2", name: "X25519", value: Math.round(x86), unit: "x86-64 instructions" });
  rows.push({ section: K, engine: "cortex-m4", name: "blob (header + code)", value: m4.blob.length, unit: "B", note: `code ${m4.codeBytes} B, stack ≤ ${m4.stackBytes} B (wiped: 2 048 B)` });
  rows.push({ section: K, engine: "cortex-m0", name: "blob (header + code)", value: m0.blob.length, unit: "B", note: `code ${m0.codeBytes} B, stack ≤ ${m0.stackBytes} B` });

  const ops = await countDeviceOps();
  const O = "Device-side operations (counted, bench/accel-ops.ts)";
  for (const k of ["pairing", "session"] as const) {
    rows.push({ section: O, engine: "firmware", name: `${k}: X25519`, value: ops[k].x25519, unit: "calls" });
    rows.push({ section: O, engine: "firmware", name: `${k}: SHA-256`, value: blocks(ops[k].sha256, 64), unit: "blocks", note: `${ops[k].sha256.length} messages` });
    rows.push({ section: O, engine: "firmware", name: `${k}: SHA-512`, value: blocks(ops[k].sha512, 128), unit: "blocks", note: `${ops[k].sha512.length} messages` });
  }

  const w = await espruinoWork(ops);
  const E = "Espruino Linux build, x86-64 instructions (callgrind)";
  rows.push({ section: E, engine: "espruino", name: "X25519, portable", value: w.x25519, unit: "instructions" });
  rows.push({ section: E, engine: "espruino", name: "Elligator 2, portable", value: w.elligator2, unit: "instructions" });
  rows.push({ section: E, engine: "espruino", name: "pairing hashes + AEAD, JS hashes", value: w.pairJs, unit: "instructions", note: `replay of the counted hashes + ${AEAD_CALLS.pairing} AEAD of ${AEAD_BYTES} B` });
  rows.push({ section: E, engine: "espruino", name: "pairing hashes + AEAD, native hashes", value: w.pairNative, unit: "instructions" });
  rows.push({ section: E, engine: "espruino", name: "session without X25519, JS hashes", value: w.sessJs, unit: "instructions", note: `hash replay + ${AEAD_CALLS.session} AEAD` });
  rows.push({ section: E, engine: "espruino", name: "session without X25519, native hashes", value: w.sessNative, unit: "instructions" });

  const S = "Estimated device-side seconds (docs/engines.md)";
  for (const [name, c] of Object.entries(BOARD_CPUS)) {
    const b = loadBoard(name);
    const acc = b.accel ?? { x25519: "portable", sha2: "portable" };
    const interp = (x86instr: number) => (x86instr * c.kappa * c.cpi * GLUE) / (c.mhz * 1e6);
    const nativeX = (thumbM4 * c.cpi) / (c.mhz * 1e6);
    const jsX = (w.x25519 * c.kappa * c.cpi) / (c.mhz * 1e6);
    const nativeE = (thumbEll * c.cpi) / (c.mhz * 1e6);
    const jsE = (w.elligator2 * c.kappa * c.cpi) / (c.mhz * 1e6);
    const kernel = acc.x25519 !== "portable"; // the kernel brings X25519 and Elligator 2 together
    const nativeHashes = acc.sha2 !== "portable";
    const pair = ops.pairing.x25519 * (kernel ? nativeX : jsX) + (kernel ? nativeE : jsE) + interp(nativeHashes ? w.pairNative : w.pairJs);
    const sess = ops.session.x25519 * (kernel ? nativeX : jsX) + interp(nativeHashes ? w.sessNative : w.sessJs);
    const pairPure = ops.pairing.x25519 * jsX + jsE + interp(w.pairJs);
    const sessPure = ops.session.x25519 * jsX + interp(w.sessJs);
    const goal = name === "puckjs" ? 5 : name === "esp32" || name === "nrf52840-jerry" ? 2 : null;
    const label = `${name} (${c.cpu}, ${c.mhz} MHz, ${c.interpreter}; x25519 ${acc.x25519}, sha2 ${acc.sha2})`;
    rows.push({ section: S, engine: label, name: "pairing", value: pair, unit: "s", peers: [{ name: "pure JS", value: pairPure }], target: goal ? { goal: `< ${goal} s`, met: pair < goal } : undefined });
    rows.push({ section: S, engine: label, name: "session", value: sess, unit: "s", peers: [{ name: "pure JS", value: sessPure }] });
  }
  return rows;
}

if (process.argv[1]?.endsWith("accel.bench.ts")) {
  run().then((rows) => {
    for (const r of rows) console.log(`${r.section} | ${r.engine} | ${r.name}: ${r.value} ${r.unit}${r.peers ? " (pure JS " + r.peers[0].value.toFixed(2) + ")" : ""}${r.target ? " [" + r.target.goal + (r.target.met ? " met" : " missed") + "]" : ""}`);
    process.exit(0);
  });
}
