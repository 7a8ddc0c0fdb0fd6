/**
 * Builds the JerryScript port for the host, cached outside the clone:
 *
 * - the engine: JerryScript from ../shared/engines/jerryscript (tools/build.py, es.next profile,
 *   external context so the port picks the heap, static snapshots, heap statistics, error
 *   messages) into ${XDG_CACHE_HOME:-~/.cache}/firstlight/jerryscript/engine-<hash>/;
 * - the port: binding/ + posix/ (+ the native crypto kernel) linked against it, and the snapshot
 *   generator (tools/snapshot-gen.c), into port-<hash>/ (the hash covers every C input, the
 *   flags, the compiler and the engine);
 * - the device image's snapshot: dist/firstlight-jerry.js with its non-static literals rewritten
 *   (static-literals.node.ts), then snapshot-gen → dist/jerry/firstlight-jerry.{snapshot,literals}.
 *
 *   tsx ports/jerryscript/host/build.node.ts [--sanitize]    builds, prints where everything is
 *
 * `sanitize` builds engine and port with AddressSanitizer + UndefinedBehaviorSanitizer (soak).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { DIST, ROOT } from "../../../build/paths.ts";
import { rewriteStaticLiterals } from "./static-literals.node.ts";
import { KERNEL_SOURCES } from "../../../build/accel-kernel.ts";

export const PORT_DIR = join(ROOT, "ports/jerryscript");
export const ENGINES_DIR = process.env.FIRSTLIGHT_ENGINES ?? join(ROOT, "../shared/engines");
export const JERRY_TARBALL = join(ENGINES_DIR, "jerryscript/jerryscript-50200152.tar.gz");
export const JERRY_IMAGE = join(DIST, "firstlight-jerry.js");
export const SNAPSHOT_DIR = join(DIST, "jerry");

/** Snapshots of several ES5 scripts with one shared literal table (they run in one engine). */
export function buildSnapshotSet(port: JerryPort, name: string, scripts: { name: string; source: string }[]): { literals: string; snapshots: string[]; bytes: number[] } {
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const literals = join(SNAPSHOT_DIR, name + ".literals");
  const snapshots = scripts.map((s) => join(SNAPSHOT_DIR, name + "-" + s.name + ".snapshot"));
  const rewritten = scripts.map((s) => rewriteStaticLiterals(s.source));
  const stamp = join(SNAPSHOT_DIR, name + ".stamp");
  const h = createHash("sha256").update(readFileSync(port.snapshotGen));
  for (const r of rewritten) h.update(r).update("\0");
  const key = h.digest("hex");
  if (!(existsSync(stamp) && readFileSync(stamp, "utf8") === key && [literals, ...snapshots].every((f) => existsSync(f)))) {
    const args = [literals];
    rewritten.forEach((r, i) => {
      const input = snapshots[i].replace(/\.snapshot$/, ".static.js");
      writeFileSync(input, r);
      args.push(input, snapshots[i]);
    });
    run(port.snapshotGen, args, SNAPSHOT_DIR);
    writeFileSync(stamp, key);
  }
  return { literals, snapshots, bytes: snapshots.map((f) => statSync(f).size) };
}
/** The native crypto kernel (ports/cortex-m, the accelerator): linked in when its sources exist. */
const ACCEL_DIR = join(ROOT, "ports/cortex-m");
const ACCEL_SOURCES = KERNEL_SOURCES;

const ENGINE_OPTIONS = [
  "--profile=es.next", "--external-context=on", "--snapshot-save=on", "--snapshot-exec=on", "--mem-stats=on",
  "--error-messages=on", "--jerry-cmdline=off", "--jerry-ext=off", "--lto=off", "--strip=off",
];
/* The engine's UBSan checks stay recoverable so that the one known upstream report can be suppressed
 * (ubsan-suppressions.txt); the port's own code aborts on the first report. */
const ENGINE_SANITIZE_FLAGS = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer"];
const SANITIZE_FLAGS = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=undefined"];
/** UBSAN_OPTIONS suppressions for JerryScript's own code (docs/engines.md, "JerryScript"). */
export const UBSAN_SUPPRESSIONS = join(PORT_DIR, "host/ubsan-suppressions.txt");
const C_FLAGS = ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-O2", "-g"];

export class ToolMissing extends Error {
  readonly code = "TOOL_MISSING";
}

export interface JerryPort {
  /** The host board: firstlight-jerry (posix/main.c). */
  bin: string;
  /** tools/snapshot-gen.c. */
  snapshotGen: string;
  /** tools/script-run.c: snapshots and JSON globals in one engine (self-test, bench). */
  scriptRun: string;
  sanitize: boolean;
  /** Whether the native crypto kernel (ports/cortex-m) is linked in (also into script-run, for --accel). */
  accel: boolean;
}

export interface JerrySnapshot {
  snapshot: string;
  literals: string;
  snapshotBytes: number;
  literalsBytes: number;
  sourceBytes: number;
}

function requireTool(cmd: string, args: string[], debianPackage: string): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n")[0];
  } catch {
    throw new ToolMissing(`${cmd} is not installed: apt-get install ${debianPackage}`);
  }
}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${(err.stderr ?? "").slice(-4000)}${(err.stdout ?? "").slice(-4000)}`);
  }
}

export function jerryCacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "firstlight", "jerryscript");
}

/** A directory keyed by the inputs' hash; `make` fills a temporary one that is renamed into place. */
function cached(kind: string, inputs: (string | Buffer)[], make: (dir: string) => void): string {
  const h = createHash("sha256");
  for (const s of inputs) h.update(s).update("\0");
  const dir = join(jerryCacheRoot(), kind + "-" + h.digest("hex").slice(0, 20));
  if (existsSync(join(dir, "done"))) return dir;
  const tmp = dir + ".tmp-" + process.pid;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    make(tmp);
    writeFileSync(join(tmp, "done"), "");
    if (!existsSync(join(dir, "done"))) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** JerryScript's static libraries and headers: { lib, include }. */
export function buildEngine(sanitize: boolean): { lib: string; include: string; key: string } {
  if (!existsSync(JERRY_TARBALL)) throw new ToolMissing(`the JerryScript source is missing: ${JERRY_TARBALL} (set FIRSTLIGHT_ENGINES)`);
  requireTool("cmake", ["--version"], "cmake");
  requireTool("python3", ["--version"], "python3");
  const cc = requireTool("gcc", ["--version"], "gcc");
  const options = sanitize ? [...ENGINE_OPTIONS, ...ENGINE_SANITIZE_FLAGS.map((f) => "--compile-flag=" + f), "--build-type=Debug"] : ENGINE_OPTIONS;
  const dir = cached(sanitize ? "engine-asan" : "engine", [readFileSync(JERRY_TARBALL), options.join(" "), cc], (tmp) => {
    run("tar", ["-xzf", JERRY_TARBALL, "-C", tmp], tmp);
    const src = join(tmp, readdirSync(tmp).find((d) => d.startsWith("jerryscript"))!);
    run("python3", ["tools/build.py", ...options, "--builddir=" + join(tmp, "build"), "-j", "2"], src);
    mkdirSync(join(tmp, "lib"));
    for (const f of ["libjerry-core.a", "libjerry-port.a"]) renameSync(join(tmp, "build/lib", f), join(tmp, "lib", f));
    renameSync(join(src, "jerry-core/include"), join(tmp, "include"));
    rmSync(src, { recursive: true, force: true });
    rmSync(join(tmp, "build"), { recursive: true, force: true });
  });
  return { lib: join(dir, "lib"), include: join(dir, "include"), key: dir };
}

function cFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".c")).sort().map((f) => join(dir, f));
}

function allPortInputs(): string[] {
  const files: string[] = [];
  for (const d of ["", "binding", "posix", "tools"]) {
    const dir = join(PORT_DIR, d);
    for (const f of readdirSync(dir).sort()) if (/\.[ch]$/.test(f)) files.push(join(dir, f));
  }
  return files;
}

export function accelAvailable(): boolean {
  return existsSync(join(ACCEL_DIR, "firstlight_accel.h")) && ACCEL_SOURCES.every((f) => existsSync(join(ACCEL_DIR, f)));
}

/** The port binary and the snapshot generator, built against the cached engine. */
export function buildPort(opts: { sanitize?: boolean } = {}): JerryPort {
  const sanitize = !!opts.sanitize;
  const engine = buildEngine(sanitize);
  const accel = accelAvailable();
  const accelFiles = accel ? readdirSync(ACCEL_DIR).filter((f) => /\.[ch]$/.test(f)).sort().map((f) => join(ACCEL_DIR, f)) : [];
  const flags = [...C_FLAGS, ...(sanitize ? SANITIZE_FLAGS : []), "-I" + engine.include, ...(accel ? ["-DFL_WITH_ACCEL", "-I" + ACCEL_DIR] : [])];
  const inputs = [...allPortInputs(), ...accelFiles];
  const libs = [join(engine.lib, "libjerry-core.a"), join(engine.lib, "libjerry-port.a"), "-lm"];
  const dir = cached(sanitize ? "port-asan" : "port", [engine.key, flags.join(" "), ...inputs.map((f) => f + "\n" + readFileSync(f, "utf8"))], (tmp) => {
    const binding = cFiles(join(PORT_DIR, "binding"));
    const accelC = accel ? ACCEL_SOURCES.map((f) => join(ACCEL_DIR, f)) : [];
    run("gcc", [...flags, "-o", join(tmp, "firstlight-jerry"), ...binding, ...cFiles(join(PORT_DIR, "posix")), ...accelC, ...libs], tmp);
    const genBinding = ["context.c", "literals.c", "values.c"].map((f) => join(PORT_DIR, "binding", f));
    run("gcc", [...flags, "-o", join(tmp, "snapshot-gen"), join(PORT_DIR, "tools/snapshot-gen.c"), ...genBinding, ...libs], tmp);
    const accelBinding = [join(PORT_DIR, "binding/accel.c"), ...accelC];
    run("gcc", [...flags, "-o", join(tmp, "script-run"), join(PORT_DIR, "tools/script-run.c"), ...genBinding, ...accelBinding, ...libs], tmp);
  });
  return { bin: join(dir, "firstlight-jerry"), snapshotGen: join(dir, "snapshot-gen"), scriptRun: join(dir, "script-run"), sanitize, accel };
}

/** The device image as a static snapshot and its literal table, in dist/jerry/ (rebuilt when the image changed). */
export function buildSnapshot(port: JerryPort, image = JERRY_IMAGE): JerrySnapshot {
  if (!existsSync(image)) throw new Error(`${image} is missing: run npm run build first`);
  const source = readFileSync(image, "utf8");
  const rewritten = rewriteStaticLiterals(source);
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const base = join(SNAPSHOT_DIR, image.replace(/^.*\//, "").replace(/\.js$/, ""));
  const input = base + ".static.js";
  const out = { snapshot: base + ".snapshot", literals: base + ".literals" };
  const stamp = base + ".stamp";
  const key = createHash("sha256").update(rewritten).update(readFileSync(port.snapshotGen)).digest("hex");
  const fresh = existsSync(stamp) && readFileSync(stamp, "utf8") === key && existsSync(out.snapshot) && existsSync(out.literals);
  if (!fresh) {
    writeFileSync(input, rewritten);
    run(port.snapshotGen, [out.literals + ".tmp", input, out.snapshot + ".tmp"], SNAPSHOT_DIR);
    renameSync(out.snapshot + ".tmp", out.snapshot);
    renameSync(out.literals + ".tmp", out.literals);
    writeFileSync(stamp, key);
  }
  return { ...out, snapshotBytes: statSync(out.snapshot).size, literalsBytes: statSync(out.literals).size, sourceBytes: Buffer.byteLength(source) };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(PORT_DIR, "host/build.node.ts")) {
  const t0 = Date.now();
  const port = buildPort({ sanitize: process.argv.includes("--sanitize") });
  const snap = buildSnapshot(port);
  console.log(`port       ${port.bin}${port.sanitize ? " (ASan + UBSan)" : ""}${port.accel ? ", native crypto kernel linked" : ""}`);
  console.log(`snapshot   ${snap.snapshot}: ${snap.snapshotBytes} B + literal table ${snap.literalsBytes} B (source ${snap.sourceBytes} B)`);
  console.log(`done in ${Date.now() - t0} ms`);
}
