/**
 * The Lua build (docs/engines.md, The Lua contract): the same firmware sources through
 * typescript-to-lua, with build/lua/plugin.ts lowering what Lua lacks and build/lua/runtime.lua in
 * front of every image.
 *
 *   dist/firstlight-NAME.lua         for each image in LUA_IMAGES: runtime + the image's bundle (global `firstlight`)
 *   dist/selftest-lua/SUITE.lua      runtime + core image + runner + SUITE's vectors as Lua tables + the summary
 *   dist/selftest-lua/quick/SUITE.lua  the same with the long chains cut (LUA_QUICK), for `npm test`
 *
 * One Lua file serves Lua 5.1 (with a `bit` module) and Lua 5.3: the syntax is 5.1's, and the
 * runtime picks its bitwise functions by `_VERSION`. The build fails (the Lua gate) on anything
 * typescript-to-lua reports, on what the plugin cannot lower, and on what build/lua/gate.ts refuses.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";
import * as tstl from "typescript-to-lua";
import { DIST, ROOT } from "../paths.ts";
import { checkLuaSource } from "./gate.ts";
import { luaPlugin, loweringProblems } from "./plugin.ts";
import { toLua } from "./lua-data.ts";

/** The images built for Lua boards (the crypto core with the protocols and the store). */
export const LUA_IMAGES = ["core"];
/** Suites not built for Lua, with the reason (none: every suite runs on Lua). */
export const LUA_SKIPPED_SUITES: Record<string, string> = {};
/**
 * The quick variants `npm test` runs (dist/selftest-lua/quick/SUITE.lua): the long chains cut to
 * their first link — the SHA-2 Monte chains to their first checkpoint of 100 (each checkpoint is
 * 1 000 more hashes of the same code), RFC 7748's iterated X25519 to its first iteration (the
 * 1 000-iteration result is 1 000 more scalar multiplications). They are most of those suites' time
 * on Lua. Every other vector is kept; the soak (test-sim/engines/lua.soak.ts) runs the full files.
 */
export const QUICK_MONTE = 1;
export const LUA_QUICK: Record<string, (data: Record<string, unknown>) => Record<string, unknown>> = {
  sha256: cutMonte,
  sha512: cutMonte,
  rfc7748: (data) => ({ ...data, iterated: (data.iterated as { n: number; k: string }[]).filter((r) => r.n === 1) }),
};
function cutMonte(data: Record<string, unknown>): Record<string, unknown> {
  const m = data.monte as { seed: string; mds: string[] };
  return { ...data, monte: { seed: m.seed, mds: m.mds.slice(0, QUICK_MONTE) } };
}
export const LUA_RUNTIME = join(ROOT, "build/lua/runtime.lua");
export const LUA_SELFTEST_DIR = join(DIST, "selftest-lua");
export const LUA_QUICK_DIR = join(LUA_SELFTEST_DIR, "quick");
const ENTRY_DIR = join(ROOT, ".build/lua");

export class LuaGateError extends Error {}

function baseCompilerOptions(): ts.CompilerOptions {
  const file = join(ROOT, "tsconfig.json");
  const cfg = ts.readConfigFile(file, ts.sys.readFile);
  if (cfg.error) throw new Error(ts.flattenDiagnosticMessageText(cfg.error.messageText, "\n"));
  return ts.parseJsonConfigFileContent(cfg.config, ts.sys, ROOT).options;
}

function diagnosticLine(d: ts.Diagnostic): string {
  const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (!d.file || d.start === undefined) return msg;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${relative(ROOT, d.file.fileName)}:${line + 1}:${character + 1}: ${msg}`;
}

/** tstl's message for `var`, which gate.ts checks instead (a scoped `var` is a `let`). */
const VAR_MESSAGE = "`var` declarations are not supported";

/** One bundle: `entry` and what it imports, as a Lua chunk that runs the entry when executed. */
export function transpileBundle(entry: string): { lua: string; problems: string[] } {
  loweringProblems.length = 0;
  const outDir = join(ENTRY_DIR, "out");
  const options: tstl.CompilerOptions = {
    ...baseCompilerOptions(),
    rootDir: ROOT,
    outDir,
    noEmit: false,
    luaTarget: tstl.LuaTarget.Lua51,
    luaLibImport: tstl.LuaLibImportKind.RequireMinimal,
    luaBundle: "bundle.lua",
    luaBundleEntry: entry,
    noHeader: true,
    sourceMapTraceback: false,
    luaPlugins: [{ plugin: luaPlugin }],
  };
  let lua = "";
  const result = tstl.transpileFiles([entry], options, (name, text) => {
    if (name.endsWith("bundle.lua")) lua = text;
  });
  const problems = result.diagnostics.filter((d) => !ts.flattenDiagnosticMessageText(d.messageText, "\n").startsWith(VAR_MESSAGE)).map(diagnosticLine);
  problems.push(...loweringProblems);
  // The source half of the gate, on every file of the bundle's program that is ours.
  const program = ts.createProgram([entry], options);
  const checker = program.getTypeChecker();
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || !sf.fileName.startsWith(ROOT + "/") || sf.fileName.includes("/node_modules/")) continue;
    problems.push(...checkLuaSource(sf, checker, ROOT));
  }
  if (!lua && problems.length === 0) problems.push(`${relative(ROOT, entry)}: typescript-to-lua wrote no bundle`);
  return { lua, problems };
}

/** The bundle as an expression statement run in place (its final `return` stays inside). */
function wrap(bundle: string): string {
  return "do\nlocal function ____bundle(...)\n" + bundle + "\nend\n____bundle()\nend\n";
}

function runtime(): string {
  return readFileSync(LUA_RUNTIME, "utf8");
}

/** The Lua image NAME: runtime, then the image's bundle (it assigns the global `firstlight`). */
export function buildLuaImage(name: string): { lua: string; problems: string[] } {
  return buildLuaEntry(join(ROOT, "firmware/images", name + ".ts"));
}

/** Runtime, then the bundle of any entry module (build/nodemcu-image.ts builds the board images with it). */
export function buildLuaEntry(entry: string): { lua: string; problems: string[] } {
  const r = transpileBundle(entry);
  return { lua: runtime() + "\n" + wrap(r.lua), problems: r.problems };
}

/** The runner and every suite, as one bundle that assigns the global `firstlightSelftest`. */
function buildRunner(suites: string[]): { lua: string; problems: string[] } {
  mkdirSync(ENTRY_DIR, { recursive: true });
  const entry = join(ENTRY_DIR, "selftest-entry.ts");
  const lines = [`import { install } from "../../test-sim/selftest/runner";`];
  suites.forEach((s, i) => lines.push(`import * as s${i} from "../../test-sim/selftest/suites/${s}";`));
  lines.push(`install({ ${suites.map((s, i) => JSON.stringify(s) + ": s" + i + ".run").join(", ")} });`);
  writeFileSync(entry, lines.join("\n") + "\n");
  const r = transpileBundle(entry);
  return { lua: wrap(r.lua), problems: r.problems };
}

export interface LuaBuildReport { name: string; file: string; bytes: number }

/** Builds every Lua image and the Lua self-test files; throws LuaGateError listing every problem. */
export async function buildLua(opts: { full: boolean }): Promise<{ images: LuaBuildReport[]; suites: string[] }> {
  const problems: string[] = [];
  const images: LuaBuildReport[] = [];
  let core = "";
  for (const name of LUA_IMAGES) {
    const im = buildLuaImage(name);
    problems.push(...im.problems);
    const file = join(DIST, `firstlight-${name}.lua`);
    if (im.problems.length === 0) writeFileSync(file, im.lua);
    images.push({ name, file, bytes: Buffer.byteLength(im.lua) });
    if (name === "core") core = im.lua;
  }
  const { listSuites, loadVectors, cutVectors, FILE_PIECE_CHARS } = await import("../selftest.ts");
  const suites = listSuites().filter((s) => !(s in LUA_SKIPPED_SUITES));
  const runner = buildRunner(suites);
  problems.push(...runner.problems);
  if (problems.length) throw new LuaGateError("Lua gate failed:\n  " + [...new Set(problems)].join("\n  "));
  rmSync(LUA_SELFTEST_DIR, { recursive: true, force: true });
  mkdirSync(LUA_QUICK_DIR, { recursive: true });
  const write = (file: string, s: string, data: Record<string, unknown>, cuttable: string[]): void => {
    const pieces = cutVectors(data, FILE_PIECE_CHARS, cuttable);
    const statements = pieces.map((p, k) => `firstlightSelftest:piece(${toLua(s)}, ${k}, ${pieces.length}, ${toLua(p.data)}, ${toLua(p.base)})`);
    writeFileSync(file, core + "\n" + runner.lua + "\n" + statements.join("\n") + "\nfirstlightSelftest:done()\n");
  };
  for (const s of suites) {
    const v = await loadVectors(s, opts);
    write(join(LUA_SELFTEST_DIR, s + ".lua"), s, v.data, v.cuttable);
    const quick = LUA_QUICK[s];
    if (quick) write(join(LUA_QUICK_DIR, s + ".lua"), s, quick(v.data), v.cuttable);
  }
  return { images, suites };
}
