/**
 * `npm run soak`: every self-test suite on every Espruino build whose memory holds the image, the
 * vectors fed over the console in pieces (test-sim/engines/espruino-selftest.ts):
 *
 *   espruino          core image from RAM, every suite (speed: hours at ~1.4 s per X25519)
 *   espruino-v12000   core image from Storage, every suite (about 10x slower again: code is read
 *                     from the flash file on every access)
 *   espruino-v2500    crypto image from Storage, the suites it holds, 1.5 KB pieces
 *
 * Bounded: FIRSTLIGHT_ESPRUINO_SOAK_BUILDS (comma list, default espruino,espruino-v2500) and
 * FIRSTLIGHT_ESPRUINO_SOAK_SUITES (comma list, default every suite the image holds) choose the
 * runs, FIRSTLIGHT_ESPRUINO_SOAK_MINUTES (default 240) bounds each.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { listSuites } from "../../build/selftest.ts";
import { espruinoMissing, type EspruinoBuild } from "./espruino.ts";
import { runSelftestOnEspruino, type EspruinoSelftestOptions } from "./espruino-selftest.ts";

/** Suites that need more than the crypto image (entropy, protocols, store). */
const CORE_ONLY = ["cpace", "entropy", "hmac-drbg", "noise", "store"];

const builds = (process.env.FIRSTLIGHT_ESPRUINO_SOAK_BUILDS ?? "espruino,espruino-v2500").split(",") as EspruinoBuild[];
const chosen = process.env.FIRSTLIGHT_ESPRUINO_SOAK_SUITES?.split(",");
const minutes = Number(process.env.FIRSTLIGHT_ESPRUINO_SOAK_MINUTES ?? 240);

function plan(build: EspruinoBuild): EspruinoSelftestOptions {
  const crypto = build === "espruino-v2500";
  const suites = (chosen ?? listSuites()).filter((s) => !crypto || !CORE_ONLY.includes(s));
  return {
    build,
    image: crypto ? "crypto" : "core",
    load: build === "espruino" ? "ram" : "storage",
    pieceChars: crypto ? 1500 : 16_384,
    suites,
    timeoutMs: minutes * 60_000,
  };
}

for (const build of builds) {
  const o = plan(build);
  test(`${build}: ${o.suites.length} self-test suites, ${o.image} image from ${o.load === "ram" ? "RAM" : "Storage"}, end with N passed, 0 failed`,
    { skip: espruinoMissing(build) ?? false, timeout: minutes * 60_000 }, async () => {
      const r = await runSelftestOnEspruino(o);
      console.log(`${build}: ${r.passed} passed, ${r.failed} failed, ${r.pieces} pieces, variables ${r.loadedVars} loaded, ${r.peakVars} peak of ${r.totalVars}, ${(r.ms / 1000).toFixed(0)} s`);
      assert.equal(r.failed, 0, r.stdout.slice(-4000));
      for (const s of o.suites) assert.match(r.stdout, new RegExp(`^suite ${s}: \\d+ passed, 0 failed`, "m"));
    });
}
