/**
 * Builds the native crypto kernel (ports/cortex-m/, C) two ways:
 *
 * - `buildCortexBlob(cpu)`: arm-none-eabi-gcc → one position-independent .text image → the blob
 *   of docs/accel-blob.md (16-byte header, then the Thumb code) that Espruino boards keep as the
 *   Storage file `fl-accel` and call through E.nativeCall. The link runs twice at two addresses
 *   and the bytes must match (position independence); any data, BSS or GOT section fails the build.
 * - `buildHostKernel()`: gcc → a static library (libfirstlight_accel.a, for ports that embed an
 *   engine) and the vector runner of the tests (test-sim/ports/cortex-m/vector-runner.c).
 *
 * Outputs are cached in ${XDG_CACHE_HOME:-~/.cache}/firstlight/accel/<hash of sources, flags and
 * compiler version>/, so a test run after the first compiles nothing.
 *
 *   tsx build/accel-kernel.ts     prints the blob sizes and where everything is
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT } from "./paths.ts";

export const KERNEL_DIR = join(ROOT, "ports/cortex-m");
export const KERNEL_SOURCES = ["fe25519.c", "x25519.c", "elligator2.c", "chacha20.c", "poly1305.c", "aead.c", "sha256.c", "sha512.c", "hash.c", "hmac-sha256.c", "hmac-drbg.c", "stack-wipe.c"];
const KERNEL_HEADERS = ["firstlight_accel.h", "fe25519.h", "chacha20.h", "poly1305.h", "sha256.h", "sha512.h", "hmac-sha256.h", "stack-wipe.h"];
const RUNNER_SOURCE = join(ROOT, "test-sim/ports/cortex-m/vector-runner.c");

export type CortexCpu = "cortex-m4" | "cortex-m0";
export const CORTEX_CPUS: CortexCpu[] = ["cortex-m4", "cortex-m0"];
/** The header's cpu byte (docs/accel-blob.md). */
export const CPU_CODE: Record<CortexCpu, number> = { "cortex-m4": 4, "cortex-m0": 0 };

export const BLOB_MAGIC = "FLAK";
export const BLOB_VERSION = 2;
/**
 * The blob's entry points in header order (docs/accel-blob.md): the first two at offsets 8 and 10,
 * the rest in the table from offset 16 on.
 */
export const BLOB_ENTRIES = ["fl_x25519", "fl_elligator2", "fl_aead_seal", "fl_aead_open", "fl_hmac_sha256", "fl_hkdf_sha256", "fl_hmac_drbg_update", "fl_hmac_drbg_generate"] as const;
/**
 * The whole kernel: the blob's entries and the one-shot hashes, which the JerryScript port links
 * (ports/jerryscript/binding/accel.c) and the Espruino blob leaves out (Espruino has
 * require("crypto")). Built as a "full" blob of the same format (two more header entries) so that
 * the tests prove, and the bench counts, these entries as Thumb code under Unicorn too.
 */
export const FULL_ENTRIES = [...BLOB_ENTRIES, "fl_sha256", "fl_sha512"] as const;
export type BlobEntry = (typeof FULL_ENTRIES)[number];
/** "espruino": the blob boards carry (BLOB_ENTRIES); "full": FULL_ENTRIES, for the tests and the bench. */
export type BlobVariant = "espruino" | "full";
export function variantEntries(v: BlobVariant): readonly BlobEntry[] {
  return v === "full" ? FULL_ENTRIES : BLOB_ENTRIES;
}
/** Header bytes: 16 fixed, then two per further entry, rounded up to 4 (the code starts 4-aligned). */
export function headerBytes(entries: number): number {
  return (16 + 2 * (entries - 2) + 3) & ~3;
}
export const BLOB_HEADER_BYTES = headerBytes(BLOB_ENTRIES.length);
/** Where an entry's offset sits in the header. */
export function entryField(i: number): number {
  return i < 2 ? 8 + 2 * i : 16 + 2 * (i - 2);
}
/** The Storage file name the Espruino driver reads (hal/espruino/accel.ts). */
export const BLOB_STORAGE_NAME = "fl-accel";

const C_FLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-ffreestanding", "-fno-builtin", "-fno-tree-loop-distribute-patterns", "-ffunction-sections", "-fno-common"];
const ARM_FLAGS = ["-mthumb", "-Os", "-fno-asynchronous-unwind-tables", "-fno-exceptions", "-fstack-usage"];
const HOST_FLAGS = ["-O2", "-fPIC"];

export class ToolMissing extends Error {
  readonly code = "TOOL_MISSING";
}

function tool(cmd: string, debianPackage: string): string {
  try {
    return execFileSync(cmd, ["--version"], { encoding: "utf8" }).split("\n")[0];
  } catch {
    throw new ToolMissing(`${cmd} is not installed: install the Debian package ${debianPackage} (apt-get install ${debianPackage})`);
  }
}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${err.stderr ?? ""}${err.stdout ?? ""}`);
  }
}

export function accelCacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "firstlight", "accel");
}

/** A cache directory keyed by the inputs; `make` fills a temporary one that is renamed into place. */
function cached(kind: string, inputs: string[], make: (dir: string) => void): string {
  const h = createHash("sha256");
  for (const s of inputs) h.update(s).update("\0");
  const dir = join(accelCacheRoot(), kind + "-" + h.digest("hex").slice(0, 20));
  if (existsSync(join(dir, "done"))) return dir;
  const tmp = dir + ".tmp-" + process.pid;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  make(tmp);
  writeFileSync(join(tmp, "done"), "");
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(tmp, dir);
  } catch {
    // another process finished the same build first: its copy is as good as ours
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

function sourceTexts(files: string[]): string[] {
  return files.map((f) => f + "\n" + readFileSync(f, "utf8"));
}

export interface CortexBlob {
  cpu: CortexCpu;
  variant: BlobVariant;
  /** The whole file: header, then code (docs/accel-blob.md). */
  blob: Buffer;
  /** Offsets from the blob's first byte (even: add 1 for a Thumb call); the variant's entries only. */
  entries: Partial<Record<BlobEntry, number>>;
  /** Code bytes after the header. */
  codeBytes: number;
  /** Deepest stack of any entry per -fstack-usage, summed along its call chain; see stackDepth. */
  stackBytes: number;
  /** The ELF linked at 0 (for disassembly in the bench), and the blob's path. */
  elf: string;
  file: string;
}

const LINK_BASES = [0, 0x20000];

export function buildCortexBlob(cpu: CortexCpu, variant: BlobVariant = "espruino"): CortexBlob {
  const want = variantEntries(variant);
  const version = tool("arm-none-eabi-gcc", "gcc-arm-none-eabi");
  const srcs = KERNEL_SOURCES.map((f) => join(KERNEL_DIR, f));
  const hdrs = KERNEL_HEADERS.map((f) => join(KERNEL_DIR, f));
  const ld = join(KERNEL_DIR, "blob.ld");
  const flags = [`-mcpu=${cpu}`, ...ARM_FLAGS, ...C_FLAGS];
  const dir = cached(variant === "full" ? cpu + "-full" : cpu, [version, flags.join(" "), ...sourceTexts([...srcs, ...hdrs, ld]), "blob-v3", want.join(",")], (out) => {
    const objs: string[] = [];
    for (const s of srcs) {
      const o = join(out, s.split("/").pop()!.replace(/\.c$/, ".o"));
      run("arm-none-eabi-gcc", [...flags, "-c", s, "-o", o], out);
      objs.push(o);
    }
    const images: Buffer[] = [];
    for (const base of LINK_BASES) {
      const elf = join(out, `blob-${base}.elf`);
      // libgcc supplies the 64-bit multiply on ARMv6-M (Cortex-M0); it is plain Thumb code too.
      // Entries beyond blob.ld's KEEP list (the full variant's) are kept as undefined-symbol roots.
      const roots = want.filter((e) => !(BLOB_ENTRIES as readonly string[]).includes(e)).map((e) => "-Wl,--undefined=" + e);
      run("arm-none-eabi-gcc", [`-mcpu=${cpu}`, "-mthumb", "-nostdlib", "-nostartfiles", `-Wl,--defsym=BLOB_BASE=${base}`, "-Wl,-T," + ld, "-Wl,--gc-sections", ...roots, "-o", elf, ...objs, "-lgcc"], out);
      run("arm-none-eabi-objcopy", ["-O", "binary", "-j", ".text", elf, join(out, `code-${base}.bin`)], out);
      images.push(readFileSync(join(out, `code-${base}.bin`)));
      const sections = run("arm-none-eabi-size", ["-A", elf], out);
      for (const line of sections.split("\n")) {
        const m = /^(\.\S+)\s+(\d+)/.exec(line);
        if (m && m[1] !== ".text" && !m[1].startsWith(".debug") && Number(m[2]) > 0) throw new Error(`accel blob (${cpu}): section ${m[1]} has ${m[2]} bytes; the kernel must be one position-independent .text`);
      }
    }
    if (!images[0].equals(images[1])) throw new Error(`accel blob (${cpu}): the code linked at 0x${LINK_BASES[1].toString(16)} differs from the code linked at 0: it is not position-independent`);
    const syms = run("arm-none-eabi-nm", [join(out, "blob-0.elf")], out);
    const entries: Record<string, number> = {};
    for (const line of syms.split("\n")) {
      const m = /^([0-9a-f]+) T (\w+)$/.exec(line.trim());
      if (m && (want as readonly string[]).includes(m[2])) entries[m[2]] = parseInt(m[1], 16);
    }
    const missing = want.filter((e) => entries[e] === undefined);
    if (missing.length) throw new Error(`accel blob (${cpu}): entry symbols ${missing.join(", ")} missing in\n${syms}`);
    const code = images[0];
    const blob = Buffer.concat([blobHeader(cpu, entries as Record<BlobEntry, number>, code, want), code]);
    writeFileSync(join(out, "blob.bin"), blob);
    writeFileSync(join(out, "stack.txt"), String(stackDepth(out)));
  });
  return readCortexBlob(cpu, variant, dir);
}

function readCortexBlob(cpu: CortexCpu, variant: BlobVariant, dir: string): CortexBlob {
  const blob = readFileSync(join(dir, "blob.bin"));
  const h = parseBlobHeader(blob);
  return {
    cpu,
    variant,
    blob,
    entries: h.entries,
    codeBytes: blob.length - blob.readUInt16LE(6),
    stackBytes: Number(readFileSync(join(dir, "stack.txt"), "utf8")),
    elf: join(dir, "blob-0.elf"),
    file: join(dir, "blob.bin"),
  };
}

/**
 * Header of docs/accel-blob.md: magic, version, cpu, header size, the entry offsets (from the
 * blob's first byte), CRC-32 of everything after the first 16 bytes (entry table and code).
 */
export function blobHeader(cpu: CortexCpu, codeEntries: Record<BlobEntry, number>, code: Buffer, entries: readonly BlobEntry[] = BLOB_ENTRIES): Buffer {
  const size = headerBytes(entries.length);
  const h = Buffer.alloc(size);
  h.write(BLOB_MAGIC, 0, "latin1");
  h[4] = BLOB_VERSION;
  h[5] = CPU_CODE[cpu];
  h.writeUInt16LE(size, 6);
  entries.forEach((e, i) => h.writeUInt16LE(size + codeEntries[e], entryField(i)));
  h.writeUInt32LE(crc32Node(Buffer.concat([h.subarray(16), code])), 12);
  return h;
}

/** The header's entries: the Espruino blob's eight, or the full variant's ten (told apart by the header size). */
export function parseBlobHeader(b: Buffer): { cpu: number; entries: Partial<Record<BlobEntry, number>>; crc: number } {
  if (b.length < BLOB_HEADER_BYTES || b.toString("latin1", 0, 4) !== BLOB_MAGIC || b[4] !== BLOB_VERSION) throw new Error(`not an accel blob (magic FLAK, version ${BLOB_VERSION})`);
  const size = b.readUInt16LE(6);
  const list = size === headerBytes(FULL_ENTRIES.length) ? FULL_ENTRIES : BLOB_ENTRIES;
  if (size !== headerBytes(list.length)) throw new Error(`accel blob header of ${size} bytes: neither the Espruino blob's nor the full kernel's`);
  const entries = {} as Partial<Record<BlobEntry, number>>;
  list.forEach((e, i) => (entries[e] = b.readUInt16LE(entryField(i))));
  return { cpu: b[5], entries, crc: b.readUInt32LE(12) };
}

function crc32Node(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The deepest stack below fl_x25519's caller: the .su figures of the deepest call chain
 * (the X25519 and Elligator 2 entries down to the field multiply) plus 8 bytes
 * of return address and alignment per call. The emulator test measures the real depth.
 */
function stackDepth(dir: string): number {
  const su: Record<string, number> = {};
  for (const f of ["fe25519.su", "x25519.su", "elligator2.su", "chacha20.su", "poly1305.su", "aead.su", "sha256.su", "sha512.su", "hash.su", "hmac-sha256.su", "hmac-drbg.su"]) {
    for (const line of readFileSync(join(dir, f), "utf8").split("\n")) {
      const m = /:(\w+)\s+(\d+)\s/.exec(line);
      if (m) su[m[1]] = Number(m[2]);
    }
  }
  const chains = [
    ["fl_x25519", "x25519_work", "fe_invert", "fe_pow_2_250_1", "fe_sq_times", "fe_sq", "carry_wide"],
    ["fl_elligator2", "elligator2_frame", "elligator2_work", "fe_pow22523", "fe_pow_2_250_1", "fe_sq_times", "fe_sq", "carry_wide"],
    ["fl_elligator2", "elligator2_frame", "elligator2_work", "fe_equal", "fe_to_bytes", "carry_exact"],
    ["fl_aead_open", "open_work", "tag_of", "poly1305_finish", "reduce"],
    ["fl_aead_seal", "seal_work", "tag_of", "poly1305_update", "block"],
    ["fl_hkdf_sha256", "hkdf_work", "hmac_final", "sha256_final", "compress"],
    ["fl_hmac_drbg_generate", "generate_work", "drbg_update", "hmac_final", "sha256_final", "compress"],
    ["fl_sha512", "sha512_work", "sha512_oneshot", "compress"],
  ];
  return Math.max(...chains.map((c) => c.reduce((n, f) => n + (su[f] ?? 0) + 8, 0)));
}

export interface HostKernel {
  /** Static library of the kernel (for a port that embeds an engine). */
  lib: string;
  /** The tests' vector runner linked with the kernel (line protocol in vector-runner.c). */
  runner: string;
}

export function buildHostKernel(): HostKernel {
  const version = tool("gcc", "gcc");
  const srcs = KERNEL_SOURCES.map((f) => join(KERNEL_DIR, f));
  const hdrs = KERNEL_HEADERS.map((f) => join(KERNEL_DIR, f));
  const flags = [...HOST_FLAGS, ...C_FLAGS];
  const dir = cached("host", [version, flags.join(" "), ...sourceTexts([...srcs, ...hdrs, RUNNER_SOURCE]), "host-v1"], (out) => {
    const objs: string[] = [];
    for (const s of srcs) {
      const o = join(out, s.split("/").pop()!.replace(/\.c$/, ".o"));
      run("gcc", [...flags, "-c", s, "-o", o], out);
      objs.push(o);
    }
    run("ar", ["rcs", join(out, "libfirstlight_accel.a"), ...objs], out);
    // The runner uses stdio: it is built without -ffreestanding.
    run("gcc", ["-O2", "-std=c99", "-Wall", "-Wextra", "-Werror", "-I", KERNEL_DIR, RUNNER_SOURCE, join(out, "libfirstlight_accel.a"), "-o", join(out, "vector-runner")], out);
  });
  return { lib: join(dir, "libfirstlight_accel.a"), runner: join(dir, "vector-runner") };
}

const RV32_RUNNER_SOURCE = join(ROOT, "test-sim/ports/rv32/rv32-runner.c");

/**
 * The kernel's C for RV32IMC (the ESP32-C3's instruction set, docs/engines.md "ESP32"): a static,
 * freestanding Linux executable of the tests' runner (test-sim/ports/rv32/rv32-runner.c) linked with
 * every kernel source, built -Os like the Thumb blob, for qemu-riscv32 to run. No board uses it:
 * it proves that the same C runs on that core and counts its instructions.
 */
export function buildRv32Runner(): string {
  const version = tool("riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf");
  const srcs = KERNEL_SOURCES.map((f) => join(KERNEL_DIR, f));
  const hdrs = KERNEL_HEADERS.map((f) => join(KERNEL_DIR, f));
  const flags = ["-march=rv32imc", "-mabi=ilp32", "-Os", "-msmall-data-limit=0", "-mno-relax", ...C_FLAGS, "-nostdlib", "-static", "-Wl,--no-warn-rwx-segments", "-I", KERNEL_DIR];
  const dir = cached("rv32", [version, flags.join(" "), ...sourceTexts([...srcs, ...hdrs, RV32_RUNNER_SOURCE])], (out) => {
    run("riscv64-unknown-elf-gcc", [...flags, "-o", join(out, "rv32-runner"), RV32_RUNNER_SOURCE, ...srcs, "-lgcc"], out);
  });
  return join(dir, "rv32-runner");
}

/**
 * What an Espruino board image carries (docs/accel-blob.md): dist/accel/fl-accel-cortex-m4.bin and
 * dist/accel/fl-accel-cortex-m4.js, an ES5 script that writes the blob to Storage as `fl-accel`
 * (upload it once, like the image). Returns the blob.
 */
export function writeAccelArtifacts(dist: string): CortexBlob {
  const b = buildCortexBlob("cortex-m4");
  const dir = join(dist, "accel");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "fl-accel-cortex-m4.bin"), b.blob);
  writeFileSync(join(dir, "fl-accel-cortex-m4.js"), `require("Storage").write(${JSON.stringify(BLOB_STORAGE_NAME)},atob(${JSON.stringify(b.blob.toString("base64"))}));\n`);
  return b;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, "build/accel-kernel.ts")) {
  const host = buildHostKernel();
  console.log(`host: ${host.lib}\n      ${host.runner}`);
  for (const cpu of CORTEX_CPUS) {
    for (const v of ["espruino", "full"] as const) {
      const b = buildCortexBlob(cpu, v);
      console.log(`${cpu} ${v}: ${b.blob.length} B blob (${b.codeBytes} B code), ${variantEntries(v).map((e) => `${e} at +${b.entries[e]}`).join(", ")}, stack ≈ ${b.stackBytes} B  ${b.file}`);
    }
  }
}
