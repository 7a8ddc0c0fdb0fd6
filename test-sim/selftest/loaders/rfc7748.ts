/**
 * RFC 7748 §5.2 (two vectors and the iterated test) and §6.1 (Diffie-Hellman). The 1 000 000
 * iteration result is checked only when the build runs with --full-vectors (hours on Duktape);
 * LoaderOptions.iterations lowers the default 1 000 (1: the first checkpoint only; 0: none).
 * `sample: "smoke"` keeps §5.2's first vector and of §6.1 the shared secret from Alice's side.
 */
import type { LoaderOptions } from "../../../build/selftest.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";

export default function load(opts: LoaderOptions): unknown {
  const most = opts.full ? Infinity : opts.iterations ?? 1000;
  const v = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc7748.json"), "utf8"));
  return {
    x25519: v.x25519.map((x: any) => ({ k: x.scalar, u: x.uCoordinate, out: x.output })).slice(0, opts.sample === "smoke" ? 1 : undefined),
    start: v.iterated.initialK,
    iterated: v.iterated.results
      .filter((r: any) => r.iterations <= most)
      .map((r: any) => ({ n: r.iterations, k: r.k })),
    dh: v.diffieHellman,
    dhOneSide: opts.sample === "smoke",
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["x25519"];
