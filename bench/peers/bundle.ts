/**
 * Bundles the bench's peer adapters (bench/peers/NAME.ts) the way the firmware images are built:
 * one ES5, minified IIFE per peer that assigns the global `peer`. The peers ship ES2015+ modules
 * (default parameters, classes, let), which esbuild cannot lower to ES5, so the bundle goes
 * through TypeScript's ES5 emit in between, as firmware does (tsc → esbuild):
 *   esbuild (bundle, ESM, es2017) → typescript transpile (ES5) → esbuild (IIFE, es5, minified).
 */
import { join } from "node:path";
import * as esbuild from "esbuild";
import ts from "typescript";
import { ROOT } from "../../build/paths.ts";

export const PEERS = ["tweetnacl", "stablelib"] as const;
export type PeerName = (typeof PEERS)[number];

/**
 * tweetnacl calls `require("crypto")` for its random source whenever `require` exists, and
 * Duktape's CLI defines a `require` that throws: resolve the name to an empty module instead (the
 * bench never asks a peer for random bytes).
 */
const noNodeCrypto: esbuild.Plugin = {
  name: "no-node-crypto",
  setup(b) {
    b.onResolve({ filter: /^crypto$/ }, () => ({ path: "crypto", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "module.exports = {};", loader: "js" }));
  },
};

export async function bundlePeer(name: PeerName): Promise<string> {
  const first = await esbuild.build({
    entryPoints: [join(ROOT, "bench/peers", name + ".ts")],
    bundle: true,
    format: "esm",
    target: "es2017",
    platform: "neutral",
    mainFields: ["module", "main"],
    plugins: [noNodeCrypto],
    write: false,
    logLevel: "silent",
  });
  const es5 = ts.transpileModule(first.outputFiles[0].text, {
    compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.ES2015, allowJs: true, downlevelIteration: true },
    fileName: name + ".js",
  }).outputText;
  const final = await esbuild.build({
    stdin: { contents: es5, loader: "js", resolveDir: ROOT },
    bundle: true,
    format: "iife",
    banner: { js: "var peer;" },
    target: "es5",
    minify: true,
    legalComments: "none",
    charset: "ascii",
    write: false,
    logLevel: "silent",
  });
  return final.outputFiles[0].text;
}
