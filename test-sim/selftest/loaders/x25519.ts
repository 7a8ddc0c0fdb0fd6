/**
 * Wycheproof X25519 (x25519_test.json): all 518 tests. Every test, valid or acceptable, has the
 * output X25519 must compute; the ZeroSharedSecret ones are those x25519Shared refuses (RFC 7748 §6.1).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";

export default function load(): unknown {
  const wp = JSON.parse(readFileSync(join(VECTORS, "wycheproof/x25519_test.json"), "utf8"));
  const tests: unknown[] = [];
  for (const g of wp.testGroups)
    for (const t of g.tests)
      // [tcId, zero shared (1/0), private, public, shared]: arrays keep the embedded JSON small.
      tests.push([t.tcId, t.flags.includes("ZeroSharedSecret") ? 1 : 0, t.private, t.public, t.shared]);
  return { tests };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["tests"];
