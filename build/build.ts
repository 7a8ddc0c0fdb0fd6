/**
 * Builds every firmware image: TypeScript → ES5 modules (tsc) → one minified IIFE per image
 * (esbuild) → the ES5 compatibility gate → dist/. Also builds the self-test scripts that carry
 * the third-party vectors to engines without file access.
 *
 *   tsx build/build.ts [--quiet] [--full-vectors] [--force]
 *
 * Builds only when an input changed (build/inputs-hash.ts: the hash of every input is kept in
 * dist/.inputs-sha256 after a complete build); --force builds anyway. When it builds it says
 * "building…" on stderr even under --quiet, so a wait is never silent.
 *
 * Images: every firmware/images/NAME.ts becomes dist/firstlight-NAME.js, which assigns the
 * global object `firstlight`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve, basename, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT, ES5_OUT, DIST } from "./paths.ts";
import { buildInputsHash, HASH_FILE, storedInputsHash } from "./inputs-hash.ts";

/** A "building…" line is open on stderr (an error starts on a fresh line). */
let stepLineOpen = false;

export interface BuildOptions {
  /** Only the "building…" progress line (stderr), no report. */
  quiet?: boolean;
  fullVectors?: boolean;
  /** Build even when the inputs are unchanged. */
  force?: boolean;
}

export function compileEs5(): void {
  rmSync(ES5_OUT, { recursive: true, force: true });
  const tsc = resolve(ROOT, "node_modules/typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.json")], { stdio: "pipe" });
  } catch (e) {
    const out = (e as { stdout?: Buffer }).stdout?.toString() ?? "";
    throw new Error("tsc failed:\n" + out);
  }
}

/**
 * Bundles one ES5 module graph into a minified IIFE. Image entries assign the global `firstlight`,
 * which the banner declares so the assignment also works in strict mode.
 */
export async function bundleEs5(entry: string, declareGlobal: boolean, minify = true, extraBanner = "", plugins: import("esbuild").Plugin[] = []): Promise<string> {
  // Loaded here, not at the top: an up-to-date `npm start` answers without loading the bundler.
  const esbuild = await import("esbuild");
  const { renameEspruinoReserved } = await import("./espruino-names.ts");
  const { hoistFunctionDeclarations } = await import("./hoist-functions.ts");
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    banner: declareGlobal ? { js: "var firstlight;" + extraBanner } : undefined,
    target: "es5",
    minify,
    legalComments: "none",
    charset: "ascii",
    write: false,
    logLevel: "silent",
    plugins,
  });
  // esbuild may name a local `of`, which Espruino's lexer reserves; Espruino does not hoist
  // function declarations, so they move to the top of their bodies.
  return hoistFunctionDeclarations(renameEspruinoReserved(result.outputFiles[0].text));
}

/** Every compiled module that runs on a device engine (firmware, HAL drivers, the self-test suites). */
export function listDeviceModules(): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    let entries: string[];
    try { entries = readdirSync(dir); } catch { return; }
    for (const e of entries.sort()) {
      const p = join(dir, e);
      if (e.endsWith(".js")) out.push(p);
      else if (!e.includes(".")) visit(p);
    }
  };
  for (const d of ["firmware", "hal", "test-sim/selftest"]) visit(join(ES5_OUT, d));
  return out;
}

/** The source-level gate (bare subarray, wide fromCharCode) on every device module. */
export async function checkDeviceModules(): Promise<string[]> {
  const { checkDeviceModule } = await import("./compat-gate.ts");
  const problems: string[] = [];
  for (const f of listDeviceModules()) {
    if (basename(f) === "_entry.js") continue;
    problems.push(...checkDeviceModule(readFileSync(f, "utf8"), relative(ES5_OUT, f).replace(/\\/g, "/")).problems);
  }
  return problems;
}

export interface ImageReport { name: string; file: string; bytes: number; gzip: number }

export async function buildImages(): Promise<ImageReport[]> {
  mkdirSync(DIST, { recursive: true });
  const { checkEs5Image } = await import("./compat-gate.ts");
  const reports: ImageReport[] = [];
  const problems: string[] = await checkDeviceModules();
  for (const f of readdirSync(join(ROOT, "firmware/images")).filter((f) => f.endsWith(".ts")).sort()) {
    const name = basename(f, ".ts");
    const code = await bundleEs5(join(ES5_OUT, "firmware/images", name + ".js"), true);
    const gate = checkEs5Image(code, `firstlight-${name}.js`);
    problems.push(...gate.problems);
    const file = join(DIST, `firstlight-${name}.js`);
    writeFileSync(file, code);
    reports.push({ name, file, bytes: Buffer.byteLength(code), gzip: gzipSync(code).length });
  }
  if (problems.length) throw new Error("ES5 compatibility gate failed:\n  " + problems.join("\n  "));
  return reports;
}

/** Each image's size, and which board budgets it fits. */
async function report(reports: ImageReport[], log: (s: string) => void): Promise<void> {
  const { listBoards, loadBoard } = await import("./boards.ts");
  const { checkBudgets } = await import("./budgets.ts");
  for (const r of reports) log(`image ${r.name.padEnd(10)} ${String(r.bytes).padStart(7)} B minified, ${String(r.gzip).padStart(6)} B gzip  ${r.file}`);
  for (const b of checkBudgets(reports, listBoards().map((n) => loadBoard(n)))) log(b.line);
}

/** Builds when an input changed (or when forced); returns whether it built. */
export async function build(o: BuildOptions = {}): Promise<boolean> {
  try {
    return await buildIfChanged(o);
  } finally {
    if (stepLineOpen) process.stderr.write(" — failed\n");
    stepLineOpen = false;
  }
}

async function buildIfChanged(o: BuildOptions): Promise<boolean> {
  const quiet = !!o.quiet, fullVectors = !!o.fullVectors, force = !!o.force;
  const log = (s: string) => { if (!quiet) console.log(s); };
  const t0 = Date.now();
  const hash = buildInputsHash(fullVectors ? ["--full-vectors"] : []);
  if (!force && hash === storedInputsHash() && existsSync(join(DIST, "images.json"))) {
    if (!quiet) await report(JSON.parse(readFileSync(join(DIST, "images.json"), "utf8")) as ImageReport[], log);
    log(`build: up to date (inputs unchanged since the last build, ${Date.now() - t0} ms to check; --force rebuilds)`);
    return false;
  }
  const step = (s: string) => {
    if (!quiet) return;
    process.stderr.write(s);
    stepLineOpen = !s.endsWith("\n");
  };
  step("building… (an input changed) type-check");
  rmSync(HASH_FILE, { force: true });
  compileEs5();
  step(", images");
  const reports = await buildImages();
  step(", self-tests");
  const { buildSelftests } = await import("./selftest.ts");
  const selftests = await buildSelftests({ full: fullVectors });
  log(`selftest: ${selftests.suites.length} suites → ${selftests.file}`);
  writeFileSync(join(DIST, "images.json"), JSON.stringify(reports, null, 2) + "\n");
  step(", Lua");
  const { buildLua } = await import("./lua/build-lua.ts");
  const luaBuild = await buildLua({ full: fullVectors });
  step(", accelerator, board images");
  const { ToolMissing, writeAccelArtifacts } = await import("./accel-kernel.ts");
  let accelLine: string;
  try {
    const k = writeAccelArtifacts(DIST);
    accelLine = `accel  cortex-m4  ${String(k.blob.length).padStart(7)} B blob (Storage file fl-accel)  ${join(DIST, "accel/fl-accel-cortex-m4.js")}`;
  } catch (e) {
    if (!(e instanceof ToolMissing)) throw e;
    accelLine = `accel blob not built: ${e.message}`;
  }
  const { listBoards, loadBoard } = await import("./boards.ts");
  const { buildBoardImages } = await import("./board-images.ts");
  const boardLines = (await buildBoardImages(listBoards().map((n) => loadBoard(n)))).map((im) =>
    `board image ${im.board.padEnd(15)} ${String(im.bytes).padStart(7)} B (${im.gzip} B gzip) of ${im.codeBytes} B Storage: ${im.bytes + 32 <= im.codeBytes ? "fits" : "over by " + (im.bytes + 32 - im.codeBytes) + " B"}  ${im.file}`);
  const { buildNodeMcuImages } = await import("./nodemcu-image.ts");
  for (const im of buildNodeMcuImages(listBoards().map((n) => loadBoard(n))))
    boardLines.push(`board image ${im.board.padEnd(15)} ${String(im.bytes).padStart(7)} B (Lua) of ${im.codeBytes} B LFS  ${im.file}`);
  writeFileSync(HASH_FILE, hash + "\n");
  step(`: done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  await report(reports, log);
  for (const l of luaBuild.images) log(`lua image ${l.name.padEnd(6)} ${String(l.bytes).padStart(7)} B  ${l.file}`);
  log(`lua selftest: ${luaBuild.suites.length} suites → dist/selftest-lua/`);
  log(accelLine);
  for (const l of boardLines) log(l);
  log(`build done in ${Date.now() - t0} ms`);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, "build/build.ts")) {
  const argv = process.argv.slice(2);
  const unknown = argv.filter((a) => !["--quiet", "--full-vectors", "--force"].includes(a));
  if (unknown.length) {
    const help = unknown.includes("--help") || unknown.includes("-h") || unknown.includes("help");
    (help ? console.log : console.error)(`${help ? "" : `build: unknown argument ${JSON.stringify(unknown[0])}\n`}usage: tsx build/build.ts [--quiet] [--full-vectors] [--force]`);
    process.exit(help ? 0 : 2);
  }
  build({ quiet: argv.includes("--quiet"), fullVectors: argv.includes("--full-vectors"), force: argv.includes("--force") }).catch((e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}

