/**
 * The build's inputs as one SHA-256: every file under the directories the images and self-tests are
 * made from, the third-party vectors the self-tests carry, the compiler settings and the lockfile
 * (a new esbuild or TypeScript may emit other code), and the build's own flags. `npm start` and
 * `npm test` rebuild only when it differs from the one stored beside dist/ (dist/.inputs-sha256).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { DIST, ROOT, VECTORS } from "./paths.ts";

/** Directories and files whose content makes the build's outputs (relative to the repository). */
export const BUILD_INPUTS = ["firmware", "hal", "boards", "build", "ports/cortex-m", "test-sim/selftest", "tsconfig.json", "package-lock.json"];

export const HASH_FILE = join(DIST, ".inputs-sha256");

function walk(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) if (!name.startsWith(".")) walk(join(path, name), out);
  } else out.push(path);
}

/** The hash of every input file's path and bytes, the vectors', and `flags`. */
export function buildInputsHash(flags: string[]): string {
  const h = createHash("sha256");
  const add = (base: string, files: string[]) => {
    for (const f of files) {
      const rel = relative(base, f);
      const bytes = readFileSync(f);
      h.update(`${rel}\0${bytes.length}\0`);
      h.update(bytes);
    }
  };
  const mine: string[] = [];
  for (const p of BUILD_INPUTS) walk(join(ROOT, p), mine);
  add(ROOT, mine);
  const vectors: string[] = [];
  walk(VECTORS, vectors);
  h.update("vectors\0");
  add(VECTORS, vectors);
  h.update(`flags\0${flags.join(" ")}`);
  return h.digest("hex");
}

/** The hash stored by the last complete build, or null. */
export function storedInputsHash(): string | null {
  try {
    return readFileSync(HASH_FILE, "utf8").trim();
  } catch {
    return null;
  }
}
