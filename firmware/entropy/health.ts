/**
 * SP 800-90B §4.4 continuous health tests on the raw samples (bytes) of one noise source:
 * the Repetition Count Test (§4.4.1) and the Adaptive Proportion Test (§4.4.2), both with a false
 * alarm probability α = 2^-40 per test, the smallest 90B allows: at 2^-20 an ideal source sampled in
 * the background raised an alarm every few days (issue 10 item 4; the arithmetic is in
 * docs/entropy.md). Cutoffs are derived from H, the min-entropy per sample the board claims
 * (`trng.bitsPerByte`), so a board that claims more entropy gets stricter tests.
 * A failure is sticky until `restart()`: the gate restarts a source's tests (a re-test of
 * STARTUP_SAMPLES fresh samples, credited nothing) after one alarm once it is open (gate.ts).
 */
import { fail } from "../errors";

/** −log2(α): the false-positive exponent of both tests. */
export var HEALTH_ALPHA_LOG2 = 40;
/** §4.4.2: W = 512 for non-binary samples. */
export var APT_WINDOW = 512;
/**
 * §4.3 requirement 9: start-up tests run over at least 1024 consecutive samples. Their samples are
 * mixed but never credited: credit needs a min-entropy estimate, and the first one ends the start-up.
 */
export var STARTUP_SAMPLES = 1024;

export var FAIL_RCT = "repetition-count";
export var FAIL_APT = "adaptive-proportion";

function checkH(h: number): void {
  if (typeof h !== "number" || !(h > 0 && h <= 8)) fail("ENTROPY_BAD_CONFIG", "min-entropy per sample must be in (0, 8], got " + h);
}

/** §4.4.1: C = 1 + ⌈−log2(α) / H⌉ (α = 2^-alphaLog2, HEALTH_ALPHA_LOG2 by default). */
export function rctCutoff(h: number, alphaLog2?: number): number {
  checkH(h);
  return 1 + Math.ceil((alphaLog2 === undefined ? HEALTH_ALPHA_LOG2 : alphaLog2) / h);
}

/**
 * §4.4.2: C = 1 + CRITBINOM(W, 2^-H, 1 − α), the smallest C with P(X ≥ C) ≤ α for
 * X ~ Binomial(W, 2^-H). The pmf is built in log space (p^W underflows a double for H = 8) and the
 * upper tail is summed from k = W down. Runs once per source, at configuration time.
 */
export function aptCutoff(h: number, w?: number, alphaLog2?: number): number {
  checkH(h);
  var n = w === undefined ? APT_WINDOW : w;
  var p = Math.pow(2, -h), alpha = Math.pow(2, -(alphaLog2 === undefined ? HEALTH_ALPHA_LOG2 : alphaLog2));
  var logPmf: number[] = [], lq = Math.log(1 - p), lr = Math.log(p) - lq, k;
  logPmf[0] = n * lq;
  // pmf(k+1) / pmf(k) = (n − k) / (k + 1) · p / (1 − p)
  for (k = 0; k < n; k++) logPmf[k + 1] = logPmf[k] + Math.log((n - k) / (k + 1)) + lr;
  var tail = 0;
  for (k = n; k >= 0; k--) {
    tail += Math.exp(logPmf[k]);
    if (tail > alpha) return k + 1;
  }
  return 1;
}

/** Samples per block of the online min-entropy estimate (one start-up's worth). */
export var ESTIMATE_BLOCK = 1024;

/**
 * SP 800-90B §6.3.1, the Most Common Value estimate: with p̂ = maxCount / n and its upper 99 %
 * confidence bound pu = p̂ + 2.576·√(p̂(1 − p̂)/(n − 1)), the min-entropy is −log2(pu) bits per sample.
 * With n = 1024 an ideal byte source estimates about 5.6 bits: the estimate is deliberately
 * conservative, and crediting never exceeds it.
 */
export function mcvMinEntropy(maxCount: number, n: number): number {
  var p = maxCount / n;
  var pu = p + 2.576 * Math.sqrt((p * (1 - p)) / (n - 1));
  if (pu >= 1) return 0;
  var h = -Math.log(pu) / Math.LN2;
  return h < 8 ? h : 8;
}

/**
 * The continuous tests of one source. `check` runs on every raw sample, so it keeps its counters in
 * fields loaded into locals once per chunk, and allocates nothing.
 */
export class HealthTests {
  /** Null while healthy; FAIL_RCT or FAIL_APT once a test has failed (sticky). */
  failure: string | null = null;
  /** Samples that have passed both tests so far (the start-up count, then the running total). */
  samples = 0;
  rctC: number;
  aptC: number;
  private rctLast = -1;
  private rctCount = 0;
  private aptFirst = -1;
  private aptCount = 0;
  private aptIndex = 0;
  /** Min-entropy per sample estimated on the last complete block of ESTIMATE_BLOCK samples (0 before the first). */
  assessed = 0;
  private counts = new Uint16Array(256);
  private maxCount = 0;
  private blockIndex = 0;

  constructor(h: number) {
    this.rctC = rctCutoff(h);
    this.aptC = aptCutoff(h);
  }

  /** Starts over as at power-on: failure cleared, counts and estimate reset (a re-test earns nothing until its first block). */
  restart(): void {
    this.failure = null;
    this.samples = 0;
    this.rctLast = -1;
    this.rctCount = 0;
    this.aptFirst = -1;
    this.aptCount = 0;
    this.aptIndex = 0;
    this.assessed = 0;
    for (var c = 0; c < 256; c++) this.counts[c] = 0;
    this.maxCount = 0;
    this.blockIndex = 0;
  }

  /** Tests `s[0 … n)`; returns the failure (null when every sample passed). */
  check(s: Uint8Array, n: number): string | null {
    if (this.failure !== null) return this.failure;
    var last = this.rctLast, rc = this.rctCount, rC = this.rctC;
    var first = this.aptFirst, ac = this.aptCount, ai = this.aptIndex, aC = this.aptC, W = APT_WINDOW;
    var cnt = this.counts, mx = this.maxCount, bi = this.blockIndex, c;
    var x, i, bad: string | null = null;
    for (i = 0; i < n; i++) {
      x = s[i];
      // §4.4.1: count consecutive identical samples; C of them in a row is a failure.
      if (x === last) {
        if (++rc >= rC) { bad = FAIL_RCT; break; }
      } else { last = x; rc = 1; }
      // §4.4.2: the first sample of each window of W is counted over the window's W samples.
      if (ai === 0) { first = x; ac = 1; }
      else if (x === first && ++ac >= aC) { bad = FAIL_APT; break; }
      if (++ai === W) ai = 0;
      // §6.3.1 counts, per block.
      if ((c = ++cnt[x]) > mx) mx = c;
      if (++bi === ESTIMATE_BLOCK) {
        this.assessed = mcvMinEntropy(mx, bi);
        for (c = 0; c < 256; c++) cnt[c] = 0;
        mx = 0;
        bi = 0;
      }
    }
    this.maxCount = mx; this.blockIndex = bi;
    this.rctLast = last; this.rctCount = rc;
    this.aptFirst = first; this.aptCount = ac; this.aptIndex = ai;
    if (bad !== null) this.failure = bad;
    else this.samples += n;
    return bad;
  }
}
