/**
 * Builds the self-test scripts. The vectors reach an engine in pieces, never as one literal: each
 * piece is one statement `firstlightSelftest.piece(SUITE, K, N, DATA, BASE);` that the runner
 * (test-sim/selftest/runner.ts) checks against the image, so a small engine can take one piece at a
 * time (over a console, or a file at a time) and a big one can take a file of all of them.
 *
 *   dist/firstlight-selftest.js     core image + runner + every suite's pieces + the summary line
 *   dist/selftest/SUITE.js          the same for one suite (lets the test runner spread engines over cores)
 *   dist/selftest/runner.js         the runner and every suite, no image, no vectors (for feeders)
 *   dist/selftest/runner-SUITE.js   the runner and one suite (for feeders on engines with little memory)
 *   dist/selftest/image-SUITE.js    for a suite that needs more than the crypto image: the crypto core
 *                                   and only the firmware it tests (SUITE_IMAGES), for engines on which
 *                                   the core image does not load
 *
 * Suites: test-sim/selftest/suites/NAME.ts (ES5, runs on the device engines) with a host-side
 * loader test-sim/selftest/loaders/NAME.ts that turns ../shared/vectors files into plain data, and
 * exports `cuttable`: the members that are lists of independent vectors. `cutVectors` splits those
 * lists into pieces of at most a given size (an item larger than that is a piece of its own); every
 * other member goes whole in the first piece (a suite without `cuttable` is always one piece).
 * Engine-neutral: any feeder (Espruino's console, a JerryScript port) uses it.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleEs5 } from "./build.ts";
import { rootScopeImage } from "./espruino-root-scope.ts";
import { DIST, ES5_OUT, ROOT } from "./paths.ts";

/**
 * What a loader gives. The defaults (only `full: false`) are what the built files carry; the other
 * options are for engines that cannot hold or cannot finish the whole set (a feeder on Espruino's
 * 2 500-variable build, say): they choose a representative subset or stream long data, and each
 * loader documents what it does with them. Checks never get weaker: a subset checks fewer vectors
 * the same way, a streamed message is checked against the same digest.
 */
export interface LoaderOptions {
  /** The hours-long vectors too (RFC 7748's 1 000 000 iterations). */
  full: boolean;
  /**
   * A subset (each loader says which): `spread`, one vector of each kind the set has (flags,
   * lengths around block boundaries, valid and invalid), for a run of about a minute on a fast
   * engine; `smoke`, the fewest vectors that still reach every code path the suite's checks
   * name, for an engine where one X25519 takes seconds (Espruino from Storage).
   */
  sample?: "spread" | "smoke";
  /**
   * Messages longer than this many bytes (the SHA-2 LongMsg ones) travel in parts of this size,
   * one list item each, and the suite feeds them to streaming hashes kept across pieces: no piece
   * and no check holds the whole message.
   */
  partBytes?: number;
  /** HKDF outputs longer than this are checked block by block against their digest (default: whole). */
  okmBytes?: number;
  /** RFC 7748 iterated test: checkpoints up to this many iterations (default 1 000; `full`: all). */
  iterations?: number;
  /** SHA-2 Monte Carlo: the first this many of the 100 checkpoints (default all). */
  monte?: number;
}
export const CORE_IMAGE = join(DIST, "firstlight-core.js");
export const RUNNER = join(DIST, "selftest", "runner.js");
/** The runner with `suite` alone. */
export function suiteRunner(suite: string): string {
  return join(DIST, "selftest", `runner-${suite}.js`);
}
/**
 * The per-suite images: the crypto core (`firstlight.crypto`) and, for each suite that needs more,
 * the members it uses, as [path under `firstlight`, module under firmware/, export names]. An
 * export named `…Api` (a module's API object) is published as the path; any other export as a
 * member of it.
 */
export const SUITE_IMAGES: Record<string, [string, string, string[]][]> = {
  cpace: [["protocol.cpace", "protocol/cpace/index", ["cpaceApi"]]],
  noise: [["protocol.noise", "protocol/noise/index", ["noiseApi"]]],
  "hmac-drbg": [["entropy", "entropy/drbg", ["HmacDrbg", "drbgInternalState"]]],
  entropy: [["entropy", "entropy/gate", ["createEntropyGate"]], ["entropy", "entropy/health", ["rctCutoff", "aptCutoff"]]],
  store: [["store", "store/index", ["storeApi"]]],
};
export function suiteImage(suite: string): string {
  return join(DIST, "selftest", `image-${suite}.js`);
}

/** The per-suite image of `suite` (SUITE_IMAGES) as one ES5 script that defines the global `firstlight`. */
async function bundleSuiteImage(suite: string): Promise<string> {
  const lines = [`import { cryptoApi } from "../../firmware/crypto/index.js";`, `firstlight = { version: "0.1.0", crypto: cryptoApi };`];
  SUITE_IMAGES[suite].forEach(([path, mod, names], k) => {
    lines.push(`import { ${names.map((n) => `${n} as m${k}_${n}`).join(", ")} } from "../../firmware/${mod}.js";`);
    const parts = path.split(".");
    for (let i = 1; i <= parts.length; i++) lines.push(`firstlight.${parts.slice(0, i).join(".")} = firstlight.${parts.slice(0, i).join(".")} || {};`);
    for (const n of names) lines.push(/Api$/.test(n) ? `firstlight.${path} = m${k}_${n};` : `firstlight.${path}.${n} = m${k}_${n};`);
  });
  const entry = join(ES5_OUT, "test-sim/selftest", `_image-${suite}.js`);
  writeFileSync(entry, lines.join("\n") + "\n");
  // In the root scope, as the board images are (build/espruino-root-scope.ts): fewer variables on Espruino.
  return rootScopeImage(await bundleEs5(entry, true));
}

/** Piece size of the built files: small enough for any engine that can load the image at all. */
export const FILE_PIECE_CHARS = 16_384;

export function listSuites(): string[] {
  return readdirSync(join(ROOT, "test-sim/selftest/suites")).filter((f) => f.endsWith(".ts")).map((f) => basename(f, ".ts")).sort();
}

/** A suite's vectors and the members that are lists of independent vectors (they may be cut). */
export interface SuiteVectors { data: Record<string, unknown>; cuttable: string[] }

export async function loadVectors(suite: string, opts: LoaderOptions): Promise<SuiteVectors> {
  const mod = await import(pathToFileURL(join(ROOT, "test-sim/selftest/loaders", suite + ".ts")).href);
  return { data: await mod.default(opts), cuttable: mod.cuttable ?? [] };
}

/** One piece of a suite's vectors: the same members as the whole, each list cut to a run of items. */
export interface VectorPiece {
  data: Record<string, unknown>;
  /** Index in the whole list of each list's first item in this piece. */
  base: Record<string, number>;
  /** Length of the piece's JSON text. */
  chars: number;
}

/**
 * Cuts the `cuttable` lists of `data` into pieces whose JSON is at most `maxChars` long where the
 * items allow it (an item longer than that travels alone). Every piece has every cuttable member
 * (empty where it holds none of it); the other members travel whole in the first piece.
 */
export function cutVectors(data: Record<string, unknown>, maxChars: number, cuttable: string[]): VectorPiece[] {
  for (const k of cuttable) if (!Array.isArray(data[k])) throw new Error(`cuttable member ${k} is not a list`);
  const lists = Object.keys(data).filter((k) => cuttable.includes(k));
  const others = Object.keys(data).filter((k) => !cuttable.includes(k));
  const pieces: VectorPiece[] = [];
  const fresh = (): VectorPiece => {
    const d: Record<string, unknown> = {};
    for (const k of lists) d[k] = [];
    if (pieces.length === 0) for (const k of others) d[k] = data[k];
    return { data: d, base: {}, chars: JSON.stringify(d).length };
  };
  let cur = fresh(), items = 0;
  for (const k of lists) {
    const list = data[k] as unknown[];
    for (let i = 0; i < list.length; i++) {
      const n = JSON.stringify(list[i]).length + 1;
      if (items > 0 && cur.chars + n > maxChars) {
        pieces.push(cur);
        cur = fresh();
        items = 0;
      }
      const into = cur.data[k] as unknown[];
      if (into.length === 0) cur.base[k] = i;
      into.push(list[i]);
      cur.chars += n;
      items++;
    }
  }
  pieces.push(cur);
  return pieces;
}

/** JSON text in ASCII: every other character as a \\u escape (engines read ASCII source the same way). */
export function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** The statements (one line each) that feed `suite`'s vectors in pieces of at most `maxChars`. */
export function pieceStatements(suite: string, v: SuiteVectors, maxChars: number): string[] {
  const pieces = cutVectors(v.data, maxChars, v.cuttable);
  return pieces.map((p, k) => `firstlightSelftest.piece(${JSON.stringify(suite)},${k},${pieces.length},${asciiJson(p.data)},${JSON.stringify(p.base)});`);
}

export const DONE_STATEMENT = "firstlightSelftest.done();";

/** The runner and every suite as one ES5 script that defines the global `firstlightSelftest`. */
async function bundleRunner(suites: string[]): Promise<string> {
  const dir = join(ES5_OUT, "test-sim/selftest");
  const lines = [`import { install } from "./runner.js";`];
  suites.forEach((s, i) => lines.push(`import * as s${i} from "./suites/${s}.js";`));
  lines.push(`install({ ${suites.map((s, i) => JSON.stringify(s) + ": s" + i + ".run").join(", ")} });`);
  const entry = join(dir, "_entry.js");
  writeFileSync(entry, lines.join("\n") + "\n");
  return "var firstlightSelftest;\n" + await bundleEs5(entry, false, true);
}

/** One self-test script: image, runner, the piece statements (one a line), the summary line. */
export function composeSelftest(image: string, runner: string, statements: string[]): string {
  return image + "\n" + runner + "\n" + statements.join("\n") + "\n" + DONE_STATEMENT + "\n";
}

export async function buildSelftests(opts: LoaderOptions): Promise<{ file: string; suites: string[] }> {
  const suites = listSuites();
  const image = readFileSync(CORE_IMAGE, "utf8");
  const runner = await bundleRunner(suites);
  mkdirSync(join(DIST, "selftest"), { recursive: true });
  writeFileSync(RUNNER, runner);
  const all: string[] = [];
  for (const s of suites) {
    writeFileSync(suiteRunner(s), await bundleRunner([s]));
    if (SUITE_IMAGES[s]) writeFileSync(suiteImage(s), await bundleSuiteImage(s));
    const statements = pieceStatements(s, await loadVectors(s, opts), FILE_PIECE_CHARS);
    all.push(...statements);
    writeFileSync(join(DIST, "selftest", s + ".js"), composeSelftest(image, runner, statements));
  }
  const file = join(DIST, "firstlight-selftest.js");
  writeFileSync(file, composeSelftest(image, runner, all));
  return { file, suites };
}
