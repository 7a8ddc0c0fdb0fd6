/**
 * `npm run soak`: every self-test suite on every Espruino build whose memory holds the image, the
 * vectors fed over the console in pieces (test-sim/engines/espruino-selftest.ts):
 *
 *   espruino          core image from RAM, every suite (speed: about two hours, ~1.4 s per X25519)
 *   espruino-v2500    crypto image from Storage, 1.5 KB pieces: the crypto suites whose checks
 *                     fit in its memory and run in reasonable time from Storage (below)
 *   espruino-v12000   core image from Storage, every suite: opt-in (about 10x slower than RAM,
 *                     code is read from the flash file on every access)
 *
 * Bounded: FIRSTLIGHT_ESPRUINO_SOAK_BUILDS (comma list, default espruino,espruino-v2500) and
 * FIRSTLIGHT_ESPRUINO_SOAK_SUITES (comma list, overrides the suites of every build) choose the
 * runs, FIRSTLIGHT_ESPRUINO_SOAK_MINUTES (default 240) bounds each.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { listSuites } from "../../build/selftest.ts";
import { espruinoMissing, type EspruinoBuild } from "./espruino.ts";
import { runSelftestOnEspruino, type EspruinoSelftestOptions } from "./espruino-selftest.ts";

/**
 * The 2 500-variable build runs these: the others need the core image (cpace, entropy, hmac-drbg,
 * noise, store), buffers of 12-16 KB its ~1 250 free variables cannot hold (hkdf's 16 320-byte
 * outputs, the SHA-2 LongMsg messages), or hours from Storage (x25519, rfc7748: ~14 s per X25519).
 */
const V2500_SUITES = ["bytes", "chacha20", "poly1305", "aead", "hmac", "bounds"];

const builds = (process.env.FIRSTLIGHT_ESPRUINO_SOAK_BUILDS ?? "espruino,espruino-v2500").split(",") as EspruinoBuild[];
const chosen = process.env.FIRSTLIGHT_ESPRUINO_SOAK_SUITES?.split(",");
const minutes = Number(process.env.FIRSTLIGHT_ESPRUINO_SOAK_MINUTES ?? 240);

function plan(build: EspruinoBuild): EspruinoSelftestOptions {
  const crypto = build === "espruino-v2500";
  const suites = chosen ?? (crypto ? V2500_SUITES : listSuites());
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
