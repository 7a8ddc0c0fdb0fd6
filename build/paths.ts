import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ES5_OUT = join(ROOT, ".build/es5");
export const DIST = join(ROOT, "dist");
/** Third-party vectors live beside the repository, never inside it. */
export const VECTORS = process.env.FIRSTLIGHT_VECTORS ?? join(ROOT, "../shared/vectors");
