/**
 * The built images on the real Espruino interpreter (../shared/engines/espruino): input that claims
 * more bytes than exist is refused there (frames, TLVs, flash records), and the crypto self-test
 * ends with `N passed, 0 failed` on all three builds — from RAM on `espruino` (speed), from Storage
 * on `espruino-v12000` (core image) and `espruino-v2500` (crypto image), the vectors fed over the
 * console in pieces. The whole set runs under `npm run soak` (espruino.soak.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DIST } from "../../build/paths.ts";
import { espruinoMissing, runEspruino } from "./espruino.ts";
import { runSelftestOnEspruino, type EspruinoSelftestOptions } from "./espruino-selftest.ts";
import { parseSummary } from "./summary.ts";

const missing = espruinoMissing("espruino") ?? espruinoMissing("espruino-v12000") ?? espruinoMissing("espruino-v2500");

test("espruino: frames, TLVs and flash records that claim more bytes than exist are refused (built bounds suite, core image)", { skip: missing ?? false, timeout: 120_000 }, async () => {
  const r = await runEspruino("espruino", readFileSync(join(DIST, "selftest", "bounds.js"), "utf8"), { timeoutMs: 100_000 });
  const s = parseSummary(r.stdout.trim());
  assert.ok(s, `no summary (exit ${r.code}):\n${r.stdout.slice(-2000)}`);
  assert.equal(s.failed, 0, r.stdout.slice(-3000));
  assert.ok(s.passed >= 18, `only ${s.passed} checks`);
  assert.match(r.stdout, /suite bounds: \d+ passed, 0 failed/);
});

const runs: { name: string; o: EspruinoSelftestOptions; maxVars?: number }[] = [
  { name: "from RAM", o: { build: "espruino", image: "core", load: "ram", pieceChars: 16_384, suites: ["bytes", "chacha20", "poly1305", "hmac"] } },
  { name: "core image from Storage", o: { build: "espruino-v12000", image: "core", load: "storage", pieceChars: 4096, suites: ["bytes", "bounds"] }, maxVars: 12_000 },
  { name: "crypto image from Storage, 1.5 KB pieces", o: { build: "espruino-v2500", image: "crypto", load: "storage", pieceChars: 1500, suites: ["bytes", "poly1305", "chacha20", "bounds"] }, maxVars: 2500 },
];

for (const { name, o, maxVars } of runs) {
  test(`${o.build}: ${o.suites.join(", ")} vectors, ${name}, end with N passed, 0 failed`, { skip: missing ?? false, timeout: 300_000 }, async () => {
    const r = await runSelftestOnEspruino({ ...o, timeoutMs: 240_000 });
    assert.equal(r.failed, 0, r.stdout.slice(-3000));
    assert.ok(r.passed > 0);
    assert.match(r.stdout, /^\d+ passed, 0 failed$/m);
    for (const s of o.suites) assert.match(r.stdout, new RegExp(`^suite ${s}: \\d+ passed, 0 failed`, "m"));
    if (maxVars) assert.ok(r.peakVars < maxVars && r.totalVars === maxVars, `variables: ${r.peakVars} of ${r.totalVars}`);
  });
}

