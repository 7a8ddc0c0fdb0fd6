/**
 * The frame fuzzer, short (frame-fuzz.ts; npm run soak runs it at length in frames.soak.ts):
 * FUZZ_FRAMES_SHORT cases per target (default 150), a fixed seed so a failure replays.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzzPairing, fuzzSession } from "./frame-fuzz.ts";

const CASES = Number(process.env.FUZZ_FRAMES_SHORT ?? 150);

for (const [name, run] of [["pairing", fuzzPairing], ["session", fuzzSession]] as const) {
  test(`frame fuzz, ${name} responder: ${CASES} random and mutated connections`, async () => {
    const t0 = performance.now();
    const r = await run(CASES, 10);
    console.log(`frame fuzz ${name}: ${r.cases} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${r.counted} attempts counted`);
    assert.equal(r.cases, CASES);
    assert.ok(r.heapGrowthBytes < 32 * 1024 * 1024, "heap grew by " + r.heapGrowthBytes + " bytes");
  });
}
