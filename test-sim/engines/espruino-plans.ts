/**
 * What the self-test runs on each Espruino build (test-sim/engines/espruino-selftest.ts feeds it),
 * in `npm test` and under `npm run soak`; docs/engines.md ("The self-test on Espruino") has the
 * table this file is.
 *
 *   espruino          core image from RAM (speed: code in RAM, ~1.4 s per X25519 on an idle core)
 *   espruino-v12000   core image from Storage (as a board runs saved code; the Linux build reads
 *                     Storage from a file, about 10x slower than RAM)
 *   espruino-v2500    crypto image from Storage (the core image does not load on 2 500 variables),
 *                     1.5 KB pieces, long SHA-2 messages in 512-byte parts, HKDF outputs over
 *                     8 160 bytes block by block
 *
 * `npm test` runs every crypto suite on every build: the `spread` samples on `espruino`, the
 * `smoke` samples from Storage (build/selftest.ts, LoaderOptions; each loader says which vectors).
 * The soak runs the whole sets; from Storage with RFC 7748's iterated test to 1 iteration and the
 * first SHA-2 Monte checkpoint only (1 000 hashes: the 100 take 4–11 hours there; `espruino`
 * runs all of them and the 1 000 iterations).
 */
import { listSuites, type LoaderOptions } from "../../build/selftest.ts";
import type { EspruinoBuild } from "./espruino.ts";
import type { EspruinoSelftestOptions } from "./espruino-selftest.ts";

/** The suites of the crypto image (the rest need the core image: cpace, entropy, hmac-drbg, noise, store). */
export const CRYPTO_SUITES = ["bytes", "chacha20", "poly1305", "aead", "hmac", "hkdf", "sha256", "sha512", "x25519", "rfc7748", "bounds"];

/** How each build gets its image and vectors (every option but the suites and the vector sample). */
function base(build: EspruinoBuild): Omit<EspruinoSelftestOptions, "suites"> {
  if (build === "espruino") return { build, image: "core", load: "ram", pieceChars: 16_384 };
  if (build === "espruino-v12000") return { build, image: "core", load: "storage", pieceChars: 4096, vectors: { full: false, partBytes: 512 } };
  return { build, image: "crypto", load: "storage", pieceChars: 1500, vectors: { full: false, partBytes: 512, okmBytes: 8160 } };
}

/** `npm test`: every crypto suite, sampled. */
export function quickPlan(build: EspruinoBuild): EspruinoSelftestOptions {
  const b = base(build);
  const vectors: LoaderOptions = build === "espruino"
    ? { full: false, sample: "spread", iterations: 1, monte: 0 }
    : { ...b.vectors!, sample: "smoke", okmBytes: 1024, iterations: 0, monte: 0 };
  // On `espruino` the bounds suite runs as a whole file (espruino.test.ts).
  return { ...b, suites: build === "espruino" ? CRYPTO_SUITES.filter((s) => s !== "bounds") : CRYPTO_SUITES, vectors };
}

/** `npm run soak`: every suite the build's image holds, whole. */
export function soakPlan(build: EspruinoBuild, suites?: string[]): EspruinoSelftestOptions {
  const b = base(build);
  const vectors: LoaderOptions = build === "espruino" ? { full: false } : { ...b.vectors!, iterations: 1, monte: 1 };
  return { ...b, suites: suites ?? (b.image === "crypto" ? CRYPTO_SUITES : listSuites()), vectors };
}
