/**
 * Builds the web commissioner (web/) into static files: dist/web/index.html, app.css, app.js and
 * the QR decoder's chunk (loaded only when a label is scanned). esbuild bundles the commissioner
 * core, @noble and jsQR; nothing else is fetched at run time.
 *
 *   tsx tools/web/build.node.ts [--out DIR] [--quiet]
 */
import { build as esbuild } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { ROOT } from "../../build/paths.ts";

export const WEB_SRC = join(ROOT, "web");
export const WEB_OUT = join(ROOT, "dist", "web");

export interface WebBuild {
  out: string;
  /** The page's own script (loaded with the page), bytes minified and gzip -9. */
  app: { bytes: number; gzip: number };
  /** Loaded on the first scan: the QR decoder. */
  lazy: { bytes: number; gzip: number };
  ms: number;
}

/** What a build writes into its folder: index.html, app.css, and scripts (app.js and its chunks). */
function isBuildOutput(name: string): boolean {
  return name === "index.html" || name === "app.css" || /^[\w-]+\.js$/.test(name);
}

/**
 * The build empties its folder first: only a folder that is absent, empty or holds nothing but an
 * earlier build's files. Anything else (a mistyped --out naming the state folder with the master
 * key, a home directory) is refused, and nothing in it is touched.
 */
function refuseForeignOut(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new Error(`${out} is a file, not a folder for the web build`);
  const foreign = readdirSync(out).filter((n) => !isBuildOutput(n));
  if (foreign.length > 0)
    throw new Error(`${out} holds ${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? " …" : ""}: not a web build, and the build empties its folder: give an empty or new folder`);
}

export async function buildWeb(o: { out?: string } = {}): Promise<WebBuild> {
  const out = o.out ?? WEB_OUT;
  const t0 = performance.now();
  refuseForeignOut(out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const r = await esbuild({
    entryPoints: [join(WEB_SRC, "app.ts")],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: ["es2020", "chrome105", "firefox110", "safari16"],
    minify: true,
    legalComments: "none",
    outdir: out,
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    metafile: true,
    absWorkingDir: ROOT,
    logLevel: "silent",
  });
  copyFileSync(join(WEB_SRC, "index.html"), join(out, "index.html"));
  copyFileSync(join(WEB_SRC, "app.css"), join(out, "app.css"));
  const app = { bytes: 0, gzip: 0 }, lazy = { bytes: 0, gzip: 0 };
  const loadedWithPage = new Set<string>();
  const outputs = r.metafile.outputs;
  const walk = (file: string) => {
    if (loadedWithPage.has(file)) return;
    loadedWithPage.add(file);
    for (const i of outputs[file].imports) if (i.kind === "import-statement") walk(i.path);
  };
  const entry = Object.keys(outputs).find((f) => outputs[f].entryPoint !== undefined)!;
  walk(entry);
  for (const file of Object.keys(outputs)) {
    if (!file.endsWith(".js")) continue;
    const bytes = readFileSync(join(ROOT, file));
    const into = loadedWithPage.has(file) ? app : lazy;
    into.bytes += bytes.length;
    into.gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { out, app, lazy, ms: performance.now() - t0 };
}

export function describeBuild(b: WebBuild): string {
  const kb = (n: number) => (n / 1024).toFixed(1) + " KB";
  return `web commissioner built in ${relative(ROOT, b.out) || "."}/ (${Math.round(b.ms)} ms): the page's script ${kb(b.app.bytes)} minified, ${kb(b.app.gzip)} gzip; the QR decoder, loaded on the first scan, ${kb(b.lazy.bytes)}, ${kb(b.lazy.gzip)} gzip`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const oi = args.indexOf("--out");
  buildWeb({ out: oi >= 0 ? args[oi + 1] : undefined }).then(
    (b) => {
      if (!args.includes("--quiet")) console.log(describeBuild(b));
    },
    (e) => {
      console.error("web: build failed: " + (e as Error).message);
      process.exitCode = 1;
    },
  );
}
