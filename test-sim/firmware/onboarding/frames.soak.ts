/**
 * The frame fuzzer at length (npm run soak; frame-fuzz.ts says what each case does and checks).
 * Bounded: FUZZ_FRAMES cases per target (default 1000), FUZZ_FRAMES_SEED for another sequence.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzzPairing, fuzzSession } from "./frame-fuzz.ts";

const CASES = Number(process.env.FUZZ_FRAMES ?? 1000);
const SEED = Number(process.env.FUZZ_FRAMES_SEED ?? 20261204);

for (const [name, run] of [["pairing", fuzzPairing], ["session", fuzzSession]] as const) {
  test(`frame fuzz, ${name} responder: ${CASES} cases`, { timeout: 6 * 3_600_000 }, async () => {
    const t0 = performance.now();
    const r = await run(CASES, SEED);
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`frame fuzz ${name}: ${r.cases} cases in ${s} s (seed ${SEED}), ${r.counted} attempts counted, heap growth ${(r.heapGrowthBytes / 1024).toFixed(0)} KiB`);
    assert.equal(r.cases, CASES);
    assert.ok(r.heapGrowthBytes < 32 * 1024 * 1024, "heap grew by " + r.heapGrowthBytes + " bytes");
  });
}
