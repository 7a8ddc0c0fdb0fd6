/**
 * Wycheproof X25519 (x25519_test.json): all 518 tests. Every test, valid or acceptable, has the
 * output X25519 must compute; the ZeroSharedSecret ones are those x25519Shared refuses (RFC 7748 §6.1).
 * `sample: "spread"` (build/selftest.ts, LoaderOptions) keeps one test per flag: the fewest tests
 * that carry every flag of the file between them (6 for 11 flags: tcIds 68, 117, 1, 100, 103, 511);
 * `"smoke"` the first of those, tcId 68 (5 flags, among them a zero shared secret).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";
import type { LoaderOptions } from "../../../build/selftest.ts";

interface Test { tcId: number; flags: string[]; private: string; public: string; shared: string }

/** The file as the suite expects it: 518 tests, 31 with a zero shared secret. */
const ALL = { tests: 518, zeros: 31 };

/** Greedy cover: repeatedly the test with the most flags not yet covered (the first such in the file). */
function onePerFlag(tests: Test[]): Test[] {
  const left = new Set(tests.flatMap((t) => t.flags)), out: Test[] = [];
  while (left.size > 0) {
    let best = tests[0], most = 0;
    for (const t of tests) {
      const n = t.flags.filter((f) => left.has(f)).length;
      if (n > most) { best = t; most = n; }
    }
    out.push(best);
    for (const f of best.flags) left.delete(f);
  }
  return out;
}

export default function load(o: LoaderOptions): unknown {
  const wp = JSON.parse(readFileSync(join(VECTORS, "wycheproof/x25519_test.json"), "utf8"));
  const all: Test[] = wp.testGroups.flatMap((g: { tests: Test[] }) => g.tests);
  const zero = (t: Test) => (t.flags.includes("ZeroSharedSecret") ? 1 : 0);
  if (all.length !== ALL.tests || all.filter(zero).length !== ALL.zeros) throw new Error("x25519_test.json: expected 518 tests, 31 with a zero shared secret");
  const cover = onePerFlag(all);
  const chosen = o.sample === "smoke" ? cover.slice(0, 1) : o.sample ? cover.sort((a, b) => a.tcId - b.tcId) : all;
  return {
    // [tcId, zero shared (1/0), private, public, shared]: arrays keep the embedded JSON small.
    tests: chosen.map((t) => [t.tcId, zero(t), t.private, t.public, t.shared]),
    // What the pieces must add up to (first piece only).
    expect: { tests: chosen.length, zeros: chosen.filter(zero).length },
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["tests"];
