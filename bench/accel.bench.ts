/**
 * The native accelerator's numbers (docs/engines.md, "The native accelerator"):
 *  1. the Cortex-M kernel: Thumb instructions per X25519 counted under Unicorn (M4 and M0), blob,
 *     code and stack bytes, and the same C on the host (x86-64 instructions, callgrind);
 *  2. what one device-side pairing and one session cost in X25519s and SHA-2 blocks, and (with the
 *     whole kernel) in AEAD, HMAC, HKDF and DRBG calls (bench/accel-ops.ts); the kernel's Thumb
 *     instructions for exactly those calls, counted under Unicorn;
 *  3. the interpreter work of everything else, on the Espruino Linux build under callgrind: the
 *     device's counted hashes replayed (JS or require("crypto")), the Elligator2 map and the AEAD
 *     calls, and one portable X25519; and for the kernel boards the counted calls replayed through
 *     the real glue (hal/espruino/accel.ts kernelCalls) with a stub E.nativeCall, plus the one-shot
 *     hashes left;
 *  4. the JerryScript port's interpreter work around the same kernel calls, measured on its own
 *     engine with the real binding (jerryWork), and the one-shot hashes' Thumb instructions on the
 *     full kernel (what that port links);
 *  5. a per-board estimate of device-side seconds for a pairing and a session, accelerated as the
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
import { buildCortexBlob, buildHostKernel, buildRv32Runner } from "../build/accel-kernel.ts";
import { buildPort, buildSnapshotSet } from "../ports/jerryscript/host/build.node.ts";
import { jerryPairingWork } from "./jerry-pairing.ts";
import { bundleEs5 } from "../build/build.ts";
import { ES5_OUT, ROOT } from "../build/paths.ts";
import { loadBoard } from "../build/boards.ts";
import { UNICORN_RUNNER, runLines, unicornPython } from "../test-sim/ports/cortex-m/runners.ts";
import { blocks, countDeviceOps, type DeviceOps } from "./accel-ops.ts";
import { randomBytes } from "node:crypto";
import type { BenchRow } from "./run.ts";

const ESPRUINO = existsSync(join(ROOT, "../shared/engines/espruino/espruino")) ? join(ROOT, "../shared/engines/espruino/espruino") : "/work/shared/engines/espruino/espruino";
const ALICE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";

/** Work the replay leaves out (framing, TLV, store writes; and HMAC/HKDF/DRBG glue around the hashes where those run in JavaScript). */
const GLUE = 1.5;

/**
 * Per board: clock, cycles per instruction, and κ = instructions of the board's ISA per x86-64
 * instruction for the interpreter's work. Justified in docs/engines.md.
 */
const BOARD_CPUS: Record<string, { cpu: string; mhz: number; cpi: number; kappa: number; interpreter: string }> = {
  puckjs: { cpu: "nRF52832 Cortex-M4F", mhz: 64, cpi: 1.3, kappa: 1.2, interpreter: "Espruino" },
  pico: { cpu: "STM32F401 Cortex-M4F", mhz: 84, cpi: 1.5, kappa: 1.2, interpreter: "Espruino" },
  esp32: { cpu: "ESP32 Xtensa LX6", mhz: 240, cpi: 1.5, kappa: 1.3, interpreter: "Espruino" },
  "nrf52840-jerry": { cpu: "nRF52840 Cortex-M4F", mhz: 64, cpi: 1.3, kappa: 1.2, interpreter: "JerryScript" },
};

function callgrind(cmd: string, args: string[], cwd: string, input = ""): number {
  const r = spawnSync("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", cmd, ...args], { cwd, input, encoding: "utf8", maxBuffer: 64 << 20 });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`callgrind of ${cmd} ${args.join(" ")} failed: ${r.stderr.slice(-500)}`);
  if (!/done/.test(r.stdout) && cmd === ESPRUINO) throw new Error(`espruino script did not finish: ${r.stdout.slice(-800)}`);
  return Number(m[1]);
}

export const ENTRY = `
import { useAccel } from "../firmware/crypto/accel.js";
import { x25519 } from "../firmware/crypto/x25519.js";
import { sha256 } from "../firmware/crypto/sha256.js";
import { sha512 } from "../firmware/crypto/sha512.js";
import { aeadSeal, aeadOpen } from "../firmware/crypto/aead.js";
import { hmacSha256 } from "../firmware/crypto/hmac.js";
import { hkdfSha256 } from "../firmware/crypto/hkdf.js";
import { HmacDrbg } from "../firmware/entropy/drbg.js";
import { elligator2 } from "../firmware/protocol/cpace/elligator2.js";
import { kernelCalls, checkAccelBlob } from "../hal/espruino/accel.js";
B = { useAccel: useAccel, x25519: x25519, sha256: sha256, sha512: sha512, aeadSeal: aeadSeal, aeadOpen: aeadOpen, elligator2: elligator2,
  hmacSha256: hmacSha256, hkdfSha256: hkdfSha256, HmacDrbg: HmacDrbg, kernelCalls: kernelCalls, checkAccelBlob: checkAccelBlob };
`;

/** The AEAD calls of a replay: [aad bytes, text bytes, 1 = open]. */
type AeadOps = [number, number, number][];

/**
 * The counted calls of `ops` replayed on the workload's globals (B: the core, D: an HMAC_DRBG, buf,
 * k, u, e32: scratch), one statement per line: the same for the Espruino and the JerryScript runs.
 */
function replayLines(ops: DeviceOps): string[] {
  return [
    `var L256 = ${JSON.stringify(ops.sha256)}, L512 = ${JSON.stringify(ops.sha512)}, HM = ${JSON.stringify(ops.hmac)}, HK = ${JSON.stringify(ops.hkdf)}, DG = ${JSON.stringify(ops.drbgGenerate)}, DU = ${ops.drbgUpdate.length}, i;`,
    "for (i = 0; i < L256.length; i++) B.sha256(buf.subarray(0, L256[i]));",
    "for (i = 0; i < L512.length; i++) B.sha512(buf.subarray(0, L512[i]));",
    "for (i = 0; i < HM.length; i++) B.hmacSha256(buf.subarray(0, HM[i][0]), buf.subarray(0, HM[i][1]));",
    "for (i = 0; i < HK.length; i++) B.hkdfSha256(buf.subarray(0, HK[i][1]), buf.subarray(0, HK[i][0]), buf.subarray(0, HK[i][2]), HK[i][3]);",
    "for (i = 0; i < DG.length; i++) D.generate(DG[i][0], DG[i][1] ? buf.subarray(0, DG[i][1]) : null);",
    "for (i = 0; i < DU; i++) D.reseed(e32);",
    `for (i = 0; i < ${ops.x25519}; i++) B.x25519(k, u);`,
    `for (i = 0; i < ${ops.elligator2}; i++) B.elligator2(k);`,
    ...aeadLines(ops.aead),
  ];
}

/** Replays the AEAD calls (JS or through the kernel glue): opens of a sealed message where it verifies. */
function aeadLines(aead: AeadOps): string[] {
  return [
    `var AE = ${JSON.stringify(aead)}, j;`,
    "for (j = 0; j < AE.length; j++) { var sealed = B.aeadSeal(key, nonce, buf.subarray(0, AE[j][1]), buf.subarray(0, AE[j][0])); if (AE[j][2]) B.aeadOpen(key, nonce, sealed, buf.subarray(0, AE[j][0])); }",
  ];
}

/** An Espruino script: the bundle, inputs, then `work` ("" for the baseline that only loads). */
function script(lib: string, ops: DeviceOps | null, what: { native: boolean; x25519: boolean; elligator: boolean; aead: AeadOps | null }): string {
  // The same inputs every run: the baseline allocates what the workloads use.
  const lines = [
    "var B;", lib,
    "var buf = new Uint8Array(2048), k = new Uint8Array(32), u = new Uint8Array(32), key = new Uint8Array(32), nonce = new Uint8Array(12); k[0] = 7; u[0] = 9;",
  ];
  if (what.native) lines.push('var C = require("crypto"); B.useAccel({ name: "espruino-crypto", sha256: function (d) { return new Uint8Array(C.SHA256(d)); }, sha512: function (d) { return new Uint8Array(C.SHA512(d)); } });');
  if (ops) {
    lines.push(`var L256 = ${JSON.stringify(ops.sha256)}, L512 = ${JSON.stringify(ops.sha512)}, i;`);
    lines.push("for (i = 0; i < L256.length; i++) B.sha256(buf.subarray(0, L256[i]));");
    lines.push("for (i = 0; i < L512.length; i++) B.sha512(buf.subarray(0, L512[i]));");
  }
  if (what.elligator) lines.push("B.elligator2(k);");
  if (what.aead) lines.push(...aeadLines(what.aead));
  if (what.x25519) lines.push("B.x25519(k, u);");
  lines.push('print("done");');
  return lines.join("\n");
}

/**
 * The kernel boards' interpreter side: the real glue (kernelCalls over a memory-mapped blob, as on
 * nRF52/STM32) with E.nativeCall stubbed to return at once, so that what callgrind counts is the
 * JavaScript around each native call; the core's functions on top of it; the one-shot hashes left
 * through require("crypto"). `ops` null: the baseline (everything set up, nothing called).
 */
export function kernelScript(lib: string, blob: Buffer, ops: DeviceOps | null): string {
  const lines = [
    "var B;", lib,
    "var buf = new Uint8Array(2048), k = new Uint8Array(32), u = new Uint8Array(32), key = new Uint8Array(32), nonce = new Uint8Array(12), e32 = new Uint8Array(32), n16 = new Uint8Array(16); k[0] = 7; u[0] = 9;",
    `var MAPPED = E.toFlatString(atob(${JSON.stringify(blob.toString("base64"))}));`,
    "var stubE = { nativeCall: function () { return function () { return 1; }; }, getAddressOf: E.getAddressOf, toFlatString: E.toFlatString, toArrayBuffer: E.toArrayBuffer };",
    "var KC = B.kernelCalls({ E: stubE, storage: { read: function () { return MAPPED; }, write: function () { return true; } }, crypto: null }, B.checkAccelBlob(MAPPED));",
    'var C = require("crypto");',
    "B.useAccel({ name: 'kernel', x25519: KC.x25519, elligator2: KC.elligator2, aead: KC.aead, hmacSha256: KC.hmacSha256, hkdfSha256: KC.hkdfSha256, drbg: KC.drbg, sha256: function (d) { return new Uint8Array(C.SHA256(d)); }, sha512: function (d) { return new Uint8Array(C.SHA512(d)); } });",
    "var D = new B.HmacDrbg(); D.instantiate(e32, n16);",
  ];
  if (ops) lines.push(...replayLines(ops));
  lines.push('print("done");');
  return lines.join("\n");
}

/**
 * The JerryScript port's interpreter side with the whole kernel (nrf52840-jerry): the counted calls
 * of a pairing and a session replayed on the port's own engine (tools/script-run --accel: the real
 * binding over the kernel's C, the firmware's crypto core and hal/jerryscript/accel.ts on top, as the
 * device image has them), under callgrind twice: everything, and only the kernel's entry functions
 * (--toggle-collect). Interpreter work = the difference, less the baseline's (load, set-up and the
 * driver's known answers, nothing called). The kernel's own work is counted in Thumb instructions.
 */
const JERRY_ENTRY = `
import { useAccel } from "../firmware/crypto/accel.js";
import { x25519 } from "../firmware/crypto/x25519.js";
import { sha256 } from "../firmware/crypto/sha256.js";
import { sha512 } from "../firmware/crypto/sha512.js";
import { aeadSeal, aeadOpen } from "../firmware/crypto/aead.js";
import { hmacSha256 } from "../firmware/crypto/hmac.js";
import { hkdfSha256 } from "../firmware/crypto/hkdf.js";
import { HmacDrbg } from "../firmware/entropy/drbg.js";
import { elligator2 } from "../firmware/protocol/cpace/elligator2.js";
import { jerryAccel } from "../hal/jerryscript/accel.js";
B = { useAccel: useAccel, x25519: x25519, sha256: sha256, sha512: sha512, aeadSeal: aeadSeal, aeadOpen: aeadOpen, elligator2: elligator2,
  hmacSha256: hmacSha256, hkdfSha256: hkdfSha256, HmacDrbg: HmacDrbg, jerryAccel: jerryAccel };
`;
const KERNEL_ENTRIES = ["fl_x25519", "fl_elligator2", "fl_aead_seal", "fl_aead_open", "fl_sha256", "fl_sha512", "fl_hmac_sha256", "fl_hkdf_sha256", "fl_hmac_drbg_update", "fl_hmac_drbg_generate"];

function jerryWorkload(ops: DeviceOps | null): string {
  const lines = [
    "var buf = new Uint8Array(2048), k = new Uint8Array(32), u = new Uint8Array(32), key = new Uint8Array(32), nonce = new Uint8Array(12), e32 = new Uint8Array(32), n16 = new Uint8Array(16); k[0] = 7; u[0] = 9;",
    'B.useAccel(B.jerryAccel(firstlight_native, { name: "bench", accel: { x25519: "jerryscript-native", sha2: "jerryscript-native", aead: "jerryscript-native", kdf: "jerryscript-native" } }));',
    "var D = new B.HmacDrbg(); D.instantiate(e32, n16);",
  ];
  if (ops) lines.push(...replayLines(ops));
  lines.push('print("done");');
  return lines.join("\n");
}

export interface JerryWork { pairing: number; session: number; pairingKernelX86: number; sessionKernelX86: number }

export async function jerryWork(kops: { pairing: DeviceOps; session: DeviceOps }): Promise<JerryWork> {
  const port = buildPort();
  if (!port.accel) throw new Error("the JerryScript port was built without the kernel (ports/cortex-m)");
  const dir = join(ES5_OUT, "bench");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "jerry-accel-entry.js"), JERRY_ENTRY);
  const lib = "var B;\n" + (await bundleEs5(join(dir, "jerry-accel-entry.js"), false));
  const set = buildSnapshotSet(port, "bench-accel", [
    { name: "lib", source: lib },
    { name: "base", source: jerryWorkload(null) },
    { name: "pairing", source: jerryWorkload(kops.pairing) },
    { name: "session", source: jerryWorkload(kops.session) },
  ]);
  const run = (i: number, toggle: boolean): number => {
    const args = ["--tool=callgrind", "--callgrind-out-file=/dev/null", ...(toggle ? KERNEL_ENTRIES.map((e) => "--toggle-collect=" + e) : []),
      port.scriptRun, "--heap-kb", "64", "--literals", set.literals, "--accel", "--snapshot", set.snapshots[0], "--snapshot", set.snapshots[i]];
    const r = spawnSync("valgrind", args, { encoding: "utf8", maxBuffer: 64 << 20 });
    const m = /Collected : (\d+)/.exec(r.stderr);
    if (!m || !/^done$/m.test(r.stdout)) throw new Error(`callgrind of script-run (${i}) failed: ${r.stdout.slice(-500)} ${r.stderr.slice(-500)}`);
    return Number(m[1]);
  };
  const interp = (i: number) => run(i, false) - run(i, true);
  const base = interp(1);
  return { pairing: interp(2) - base, session: interp(3) - base, pairingKernelX86: run(2, true) - run(1, true), sessionKernelX86: run(3, true) - run(1, true) };
}

interface EspruinoWork { base: number; x25519: number; elligator2: number; pairJs: number; pairNative: number; sessJs: number; sessNative: number; pairAeadJs: number; sessAeadJs: number; pairKernel: number; sessKernel: number }

async function espruinoWork(ops: { pairing: DeviceOps; session: DeviceOps }, kops: { pairing: DeviceOps; session: DeviceOps }, blob: Buffer): Promise<EspruinoWork> {
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
    const pa = kops.pairing.aead, sa = kops.session.aead;
    const base = run("base", script(lib, null, { native: false, x25519: false, elligator: false, aead: null }));
    const baseNative = run("base-native", script(lib, null, { native: true, x25519: false, elligator: false, aead: null }));
    const x = run("x25519", script(lib, null, { native: false, x25519: true, elligator: false, aead: null })) - base;
    const ell = run("elligator2", script(lib, null, { native: false, x25519: false, elligator: true, aead: null })) - base;
    const pairJs = run("pair-js", script(lib, ops.pairing, { native: false, x25519: false, elligator: false, aead: pa })) - base;
    const pairNative = run("pair-native", script(lib, ops.pairing, { native: true, x25519: false, elligator: false, aead: pa })) - baseNative;
    const sessJs = run("sess-js", script(lib, ops.session, { native: false, x25519: false, elligator: false, aead: sa })) - base;
    const sessNative = run("sess-native", script(lib, ops.session, { native: true, x25519: false, elligator: false, aead: sa })) - baseNative;
    const pairAeadJs = run("pair-aead", script(lib, null, { native: false, x25519: false, elligator: false, aead: pa })) - base;
    const sessAeadJs = run("sess-aead", script(lib, null, { native: false, x25519: false, elligator: false, aead: sa })) - base;
    const baseKernel = run("base-kernel", kernelScript(lib, blob, null));
    const pairKernel = run("pair-kernel", kernelScript(lib, blob, kops.pairing)) - baseKernel;
    const sessKernel = run("sess-kernel", kernelScript(lib, blob, kops.session)) - baseKernel;
    return { base, x25519: x, elligator2: ell, pairJs, pairNative, sessJs, sessNative, pairAeadJs, sessAeadJs, pairKernel, sessKernel };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/**
 * RV32IMC instructions of one runner line (test-sim/ports/rv32/rv32-runner.c under qemu-riscv32,
 * one instruction per translation block, every block's execution logged and counted), less those of
 * a line of the same length that the runner refuses after parsing it (the parse and start-up).
 */
function rv32Count(runner: string, line: string): number {
  const count = (l: string) => {
    const r = spawnSync("sh", ["-c", `qemu-riscv32 -singlestep -d exec,nochain -D /dev/stderr "$0" 2>&1 >/dev/null | grep -c '^Trace'`, runner], { input: l + "\n", encoding: "utf8" });
    const n = Number(r.stdout.trim());
    if (!(n > 0)) throw new Error(`qemu-riscv32 count failed: ${r.stdout} ${r.stderr}`);
    return n;
  };
  return count(line) - count(line.slice(0, -2) + "zz");
}

function thumbCount(file: string, cpu: "m4" | "m0", line = `b ${ALICE}`): number {
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", file, "--cpu", cpu, "--count"], [line]);
  return Number(out[0].split(" ")[1]);
}

const hexOf = (n: number) => (n ? randomBytes(n).toString("hex") : "-");

/** Runner lines for the counted kernel calls, with random inputs of the counted sizes (an open costs what a seal of its size does: the same MAC and stream). */
function kernelLines(o: DeviceOps): { aead: string[]; kdf: string[] } {
  const aead = o.aead.map(([a, n]) => `s ${hexOf(32)} ${hexOf(12)} ${hexOf(a)} ${hexOf(n)}`);
  const kdf = [
    ...o.hmac.map(([kl, ml]) => `h ${hexOf(kl)} ${hexOf(ml)}`),
    ...o.hkdf.map(([s, i, f, n]) => `k ${hexOf(s)} ${hexOf(i)} ${hexOf(f)} ${n}`),
    ...o.drbgUpdate.map((n) => `u ${hexOf(n)}`),
    ...o.drbgGenerate.map(([n, a]) => `g ${hexOf(a)} ${n}`),
  ];
  return { aead, kdf };
}

/** Runner lines for the one-shot hashes left (the full kernel's fl_sha256 / fl_sha512). */
function shaLines(o: DeviceOps): string[] {
  return [...o.sha256.map((n) => `2 ${hexOf(n)}`), ...o.sha512.map((n) => `5 ${hexOf(n)}`)];
}

function thumbSum(file: string, lines: string[]): number {
  if (!lines.length) return 0;
  return runLines(unicornPython(), [UNICORN_RUNNER, "--blob", file, "--count"], lines).reduce((s, l) => s + Number(l.split(" ")[1]), 0);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const m4 = buildCortexBlob("cortex-m4"), m0 = buildCortexBlob("cortex-m0"), m4full = buildCortexBlob("cortex-m4", "full");
  const thumbM4 = thumbCount(m4.file, "m4"), thumbM0 = thumbCount(m0.file, "m0");
  const thumbEll = thumbCount(m4.file, "m4", `e ${ALICE}`);
  const host = buildHostKernel();
  const x86 = (callgrind(host.runner, [], ROOT, `b ${ALICE}\nb ${ALICE}\n`) - callgrind(host.runner, [], ROOT, "")) / 2;
  const K = "Cortex-M kernel (ports/cortex-m)";
  rows.push({ section: K, engine: "Unicorn Cortex-M4", name: "X25519", value: thumbM4, unit: "Thumb instructions", target: { goal: "≤ 2 000 000", met: thumbM4 <= 2_000_000 } });
  rows.push({ section: K, engine: "Unicorn Cortex-M4", name: "Elligator 2 (CPace map)", value: thumbEll, unit: "Thumb instructions" });
  rows.push({ section: K, engine: "Unicorn Cortex-M0", name: "X25519", value: thumbM0, unit: "Thumb instructions", note: "no 32×32→64 multiply: libgcc's __aeabi_lmul; no board here needs M0" });
  rows.push({ section: K, engine: "host gcc -O2", name: "X25519", value: Math.round(x86), unit: "x86-64 instructions" });
  const rv32Runner = buildRv32Runner();
  const rv32 = rv32Count(rv32Runner, `x ${ALICE} ${"09" + "00".repeat(31)}`);
  rows.push({ section: K, engine: "qemu-riscv32 RV32IMC (-Os)", name: "X25519", value: rv32, unit: "RV32 instructions", note: "the ESP32-C3's instruction set; no firmware here calls it (docs/engines.md, ESP32)" });
  rows.push({ section: K, engine: "qemu-riscv32 RV32IMC (-Os)", name: "Elligator 2 (CPace map)", value: rv32Count(rv32Runner, `e ${ALICE}`), unit: "RV32 instructions" });
  rows.push({ section: K, engine: "cortex-m4", name: "blob (header + code)", value: m4.blob.length, unit: "B", note: `code ${m4.codeBytes} B, stack ≤ ${m4.stackBytes} B (wiped: 2 048 B)` });
  rows.push({ section: K, engine: "cortex-m0", name: "blob (header + code)", value: m0.blob.length, unit: "B", note: `code ${m0.codeBytes} B, stack ≤ ${m0.stackBytes} B` });
  rows.push({ section: K, engine: "cortex-m4", name: "full kernel (+ one-shot SHA-256/512; what the JerryScript port links), as a blob", value: m4full.blob.length, unit: "B", note: `code ${m4full.codeBytes} B, stack ≤ ${m4full.stackBytes} B` });

  const ops = await countDeviceOps("hashes");
  const kops = await countDeviceOps("kernel");
  const seal100 = thumbCount(m4.file, "m4", `s ${hexOf(32)} ${hexOf(12)} - ${hexOf(100)}`);
  const hkdf2 = thumbCount(m4.file, "m4", `k ${hexOf(32)} ${hexOf(32)} - 64`);
  rows.push({ section: K, engine: "Unicorn Cortex-M4", name: "ChaCha20-Poly1305 seal, 100 B", value: seal100, unit: "Thumb instructions" });
  rows.push({ section: K, engine: "Unicorn Cortex-M4", name: "HKDF-SHA-256, 2 outputs (Noise MixKey)", value: hkdf2, unit: "Thumb instructions" });
  const kl = { pairing: kernelLines(kops.pairing), session: kernelLines(kops.session) };
  const kThumb = {
    pairing: { aead: thumbSum(m4.file, kl.pairing.aead), kdf: thumbSum(m4.file, kl.pairing.kdf), sha: thumbSum(m4full.file, shaLines(kops.pairing)) },
    session: { aead: thumbSum(m4.file, kl.session.aead), kdf: thumbSum(m4.file, kl.session.kdf), sha: thumbSum(m4full.file, shaLines(kops.session)) },
  };
  const O = "Device-side operations (counted, bench/accel-ops.ts)";
  for (const k of ["pairing", "session"] as const) {
    rows.push({ section: O, engine: "firmware", name: `${k}: X25519`, value: ops[k].x25519, unit: "calls" });
    rows.push({ section: O, engine: "firmware", name: `${k}: SHA-256`, value: blocks(ops[k].sha256, 64), unit: "blocks", note: `${ops[k].sha256.length} messages` });
    rows.push({ section: O, engine: "firmware", name: `${k}: SHA-512`, value: blocks(ops[k].sha512, 128), unit: "blocks", note: `${ops[k].sha512.length} messages` });
    const q = kops[k];
    rows.push({ section: O, engine: "firmware, whole kernel", name: `${k}: kernel calls`, value: q.x25519 + q.elligator2 + q.aead.length + q.hmac.length + q.hkdf.length + q.drbgUpdate.length + q.drbgGenerate.length, unit: "calls",
      note: `${q.x25519} X25519, ${q.elligator2} Elligator 2, ${q.aead.length} AEAD, ${q.hmac.length} HMAC, ${q.hkdf.length} HKDF, ${q.drbgUpdate.length + q.drbgGenerate.length} DRBG; SHA-256 one-shots left ${q.sha256.length}` });
    rows.push({ section: O, engine: "Unicorn Cortex-M4", name: `${k}: AEAD + HMAC/HKDF/DRBG calls`, value: kThumb[k].aead + kThumb[k].kdf, unit: "Thumb instructions", note: `AEAD ${kThumb[k].aead}, HMAC/HKDF/DRBG ${kThumb[k].kdf}` });
    rows.push({ section: O, engine: "Unicorn Cortex-M4 (full kernel)", name: `${k}: the one-shot SHA-256/512 left, native`, value: kThumb[k].sha, unit: "Thumb instructions", note: `${q.sha256.length} SHA-256 + ${q.sha512.length} SHA-512 messages` });
  }

  const w = await espruinoWork(ops, kops, m4.blob);
  const E = "Espruino Linux build, x86-64 instructions (callgrind)";
  rows.push({ section: E, engine: "espruino", name: "X25519, portable", value: w.x25519, unit: "instructions" });
  rows.push({ section: E, engine: "espruino", name: "Elligator 2, portable", value: w.elligator2, unit: "instructions" });
  rows.push({ section: E, engine: "espruino", name: "pairing hashes + AEAD, JS hashes", value: w.pairJs, unit: "instructions", note: `replay of the counted hashes + the ${kops.pairing.aead.length} counted AEAD calls` });
  rows.push({ section: E, engine: "espruino", name: "pairing hashes + AEAD, native hashes", value: w.pairNative, unit: "instructions" });
  rows.push({ section: E, engine: "espruino", name: "session without X25519, JS hashes", value: w.sessJs, unit: "instructions", note: `hash replay + ${kops.session.aead.length} AEAD` });
  rows.push({ section: E, engine: "espruino", name: "session without X25519, native hashes", value: w.sessNative, unit: "instructions" });
  rows.push({ section: E, engine: "espruino", name: "pairing / session AEAD alone, JS", value: w.pairAeadJs, unit: "instructions", note: `session ${w.sessAeadJs}` });
  rows.push({ section: E, engine: "espruino", name: "pairing, whole kernel: glue + hashes left", value: w.pairKernel, unit: "instructions", note: "every kernel call through hal/espruino/accel.ts with E.nativeCall stubbed" });
  rows.push({ section: E, engine: "espruino", name: "session, whole kernel: glue + hashes left", value: w.sessKernel, unit: "instructions" });

  const jw = await jerryWork(kops);
  const J = "JerryScript port, x86-64 instructions (callgrind), whole kernel";
  rows.push({ section: J, engine: "jerryscript", name: "pairing: interpreter work around the kernel calls", value: jw.pairing, unit: "instructions", note: `every kernel call of the pairing through hal/jerryscript/accel.ts and the binding; the kernel's own ${jw.pairingKernelX86} left out` });
  rows.push({ section: J, engine: "jerryscript", name: "session: interpreter work around the kernel calls", value: jw.session, unit: "instructions", note: `kernel ${jw.sessionKernelX86} left out` });
  const jerryPair = await jerryPairingWork(KERNEL_ENTRIES);
  const calls = Object.entries(jerryPair.byEntry).map(([f, [n]]) => `${n} ${f}`).join(", ");
  rows.push({ section: J, engine: "jerryscript", name: "a whole pairing on the port (nrf52840-jerry), device process", value: jerryPair.total, unit: "instructions", note: `of which the kernel's entries ${jerryPair.kernel} (${calls}); the rest, ${jerryPair.total - jerryPair.kernel}, is the interpreter, framing, TLV, store and platform` });

  const S = "Estimated device-side seconds (docs/engines.md)";
  for (const [name, c] of Object.entries(BOARD_CPUS)) {
    const b = loadBoard(name);
    const acc: { x25519: string; sha2: string; aead?: string; kdf?: string } = b.accel ?? { x25519: "portable", sha2: "portable" };
    const interp = (x86instr: number) => (x86instr * c.kappa * c.cpi * GLUE) / (c.mhz * 1e6);
    const nativeX = (thumbM4 * c.cpi) / (c.mhz * 1e6);
    const jsX = (w.x25519 * c.kappa * c.cpi) / (c.mhz * 1e6);
    const nativeE = (thumbEll * c.cpi) / (c.mhz * 1e6);
    const jsE = (w.elligator2 * c.kappa * c.cpi) / (c.mhz * 1e6);
    const kernel = acc.x25519 !== "portable"; // the kernel brings X25519 and Elligator 2 together
    const nativeHashes = acc.sha2 !== "portable";
    const native = (thumb: number) => (thumb * c.cpi) / (c.mhz * 1e6);
    const aeadNative = acc.aead !== undefined && acc.aead !== "portable";
    const whole = kernel && aeadNative && acc.kdf === "cortex-m4-blob";
    const jerryWhole = acc.x25519 === "jerryscript-native" && acc.aead === "jerryscript-native" && acc.kdf === "jerryscript-native" && acc.sha2 === "jerryscript-native";
    let pair: number, sess: number;
    let pairReplay: number | null = null;
    if (jerryWhole) {
      // The whole kernel on the JerryScript port: every call native (the hashes too). The pairing's
      // interpreter side is the whole pairing measured on the port (no GLUE: framing, TLV and store
      // are in it); the replay method's figure is kept beside it. The session: the replay method.
      const nativePair = native(ops.pairing.x25519 * thumbM4 + kops.pairing.elligator2 * thumbEll + kThumb.pairing.aead + kThumb.pairing.kdf + kThumb.pairing.sha);
      pair = nativePair + ((jerryPair.total - jerryPair.kernel) * c.kappa * c.cpi) / (c.mhz * 1e6);
      pairReplay = nativePair + interp(jw.pairing);
      sess = native(ops.session.x25519 * thumbM4 + kThumb.session.aead + kThumb.session.kdf + kThumb.session.sha) + interp(jw.session);
    } else if (whole) {
      // The whole kernel (Espruino): every call native, the glue and the hashes left measured.
      pair = native(ops.pairing.x25519 * thumbM4 + kops.pairing.elligator2 * thumbEll + kThumb.pairing.aead + kThumb.pairing.kdf) + interp(w.pairKernel);
      sess = native(ops.session.x25519 * thumbM4 + kThumb.session.aead + kThumb.session.kdf) + interp(w.sessKernel);
    } else {
      // X25519 (and the AEAD) native where the board has them; hashes replayed JS or native.
      const pairHashes = (nativeHashes ? w.pairNative : w.pairJs) - (aeadNative ? w.pairAeadJs : 0);
      const sessHashes = (nativeHashes ? w.sessNative : w.sessJs) - (aeadNative ? w.sessAeadJs : 0);
      const elligatorNative = kernel && acc.x25519 === "cortex-m4-blob";
      pair = ops.pairing.x25519 * (kernel ? nativeX : jsX) + (elligatorNative ? nativeE : jsE) + interp(pairHashes) + (aeadNative ? native(kThumb.pairing.aead) : 0);
      sess = ops.session.x25519 * (kernel ? nativeX : jsX) + interp(sessHashes) + (aeadNative ? native(kThumb.session.aead) : 0);
    }
    const pairPure = ops.pairing.x25519 * jsX + jsE + interp(w.pairJs);
    const sessPure = ops.session.x25519 * jsX + interp(w.sessJs);
    const goal = name === "puckjs" ? 5 : name === "esp32" || name === "nrf52840-jerry" ? 2 : null;
    const label = `${name} (${c.cpu}, ${c.mhz} MHz, ${c.interpreter}; x25519 ${acc.x25519}, sha2 ${acc.sha2}, aead ${acc.aead ?? "portable"}, kdf ${acc.kdf ?? "portable"})`;
    // Pure JavaScript on JerryScript is bounded by Espruino's figures (JerryScript compiles to bytecode once; Espruino re-lexes).
    rows.push({ section: S, engine: label, name: "pairing", value: pair, unit: "s", peers: [{ name: c.interpreter === "JerryScript" ? "pure JS (≤, Espruino's work)" : "pure JS", value: pairPure }], target: goal ? { goal: `< ${goal} s`, met: pair < goal } : undefined });
    if (pairReplay !== null) rows.push({ section: S, engine: label, name: "pairing, by the replay method (the Espruino rows' method)", value: pairReplay, unit: "s" });
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
