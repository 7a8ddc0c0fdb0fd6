/**
 * SP 800-90B (January 2018) §6.3 non-IID min-entropy estimators, on raw samples (integers 0 … 2^bits − 1),
 * and the §3.1.3 / §3.1.4 procedures built on them (bitstring estimate, restart tests).
 * Host side: `npm run entropy -- FILE` (tools/entropy/cli.node.ts). docs/entropy.md, "Estimating a
 * source", says where each formula comes from and how the implementation was validated.
 *
 * Every estimator returns min-entropy per sample in bits. The estimators of §6.3.2–6.3.4 apply to
 * binary samples only; for wider samples they run on the bitstring (§3.1.3).
 */
import { tupleCounts, suffixArray, lcpArray } from "./suffix.ts";

/**
 * The 99 % upper-bound quantile of §6.3: 90B prints 2.576; NIST's ea_non_iid uses the exact
 * Φ^-1(0.995) = 2.5758293035489008, and so do we, so our figures match its published outputs digit for digit.
 */
const Z = 2.5758293035489008;

/** −log2(p), and exactly 0 (not −0) for p = 1. */
function bitsOf(p: number): number {
  return p >= 1 ? 0 : -Math.log(p) / Math.LN2;
}

export interface Estimate { name: string; h: number; note?: string }

function log2(x: number): number { return Math.log(x) / Math.LN2; }

/** The upper 99 % bound of §6.3.1, 6.3.5 and 6.3.6: pu = min(1, p + 2.576 √(p(1 − p)/(L − 1))). */
export function upperBound(p: number, L: number): number {
  return Math.min(1, p + Z * Math.sqrt((p * (1 - p)) / (L - 1)));
}

/** §6.3.1 Most Common Value. */
export function mostCommonValue(s: ArrayLike<number>, k: number): Estimate {
  const L = s.length, c = new Float64Array(k);
  let mx = 0;
  for (let i = 0; i < L; i++) if (++c[s[i]] > mx) mx = c[s[i]];
  return { name: "most common value (6.3.1)", h: bitsOf(upperBound(mx / L, L)), note: `mode count ${mx} of ${L}` };
}

/**
 * Binary search for p in [lo, hi] with f(p) = target, f decreasing. Above f(lo) there is no solution
 * (null: 90B then gives the full 1 bit); at or below f(hi) the source is as predictable as the model
 * gets, p = hi (a constant source scores 0, not 90B's "no solution" 1 bit).
 */
function solveDecreasing(f: (p: number) => number, target: number, lo: number, hi: number): number | null {
  const flo = f(lo), fhi = f(hi);
  if (target > flo) return null;
  if (target <= fhi) return 1;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** §6.3.2 Collision estimate (binary samples). */
export function collision(s: ArrayLike<number>): Estimate {
  const L = s.length, t: number[] = [];
  let i = 0;
  while (i < L - 1) {
    // Binary: a repeat comes at the 2nd sample (s_i = s_i+1) or at the 3rd (one of the two recurs).
    if (s[i] === s[i + 1]) { t.push(2); i += 2; }
    else if (i + 2 < L) { t.push(3); i += 3; }
    else break;
  }
  const v = t.length;
  const mean = t.reduce((a, b) => a + b, 0) / v;
  let ss = 0;
  for (const x of t) ss += (x - mean) * (x - mean);
  const sigma = Math.sqrt(ss / (v - 1));
  const p = collisionP(mean, sigma, v);
  return { name: "collision (6.3.2)", h: p === null ? 1 : bitsOf(p), note: `X-bar ${mean.toFixed(6)}, sigma-hat ${sigma.toFixed(6)}, ${v} collisions` };
}

/** §6.3.2 steps 5–7 from the mean collision time, its deviation and count: the p solved for (null: none, H = 1). */
export function collisionP(mean: number, sigma: number, v: number): number | null {
  const xbar = mean - (Z * sigma) / Math.sqrt(v);
  // Expected collision time for P(most likely) = p, q = 1 − p: p q^-2 (1 + (1/p − 1/q)/2) F(q) − p q^-1 (1/p − 1/q)/2,
  // F(q) = q + 2q² + 2q³ (F(1/z) = Γ(3, z) z^-3 e^z, Γ(3, z) = e^-z (z² + 2z + 2)); it equals 2 + 2pq.
  const expected = (p: number) => {
    const q = 1 - p, F = q + 2 * q * q + 2 * q * q * q, d = (1 / p - 1 / q) / 2;
    return (p / (q * q)) * (1 + d) * F - (p / q) * d;
  };
  if (xbar >= 2.5) return null;
  // At or below 2, the collision time of a constant source, no p < 1 fits: p = 1 (0 bits), not 90B's
  // "no solution: 1 bit", which would credit a constant source in full.
  if (xbar <= 2) return 1;
  return solveDecreasing(expected, xbar, 0.5, 1 - 1e-12);
}

/** §6.3.3 Markov estimate (binary samples): the most likely 128-bit sequence of a first-order chain. */
export function markov(s: ArrayLike<number>): Estimate {
  const L = s.length;
  let ones = 0;
  const tr = [0, 0, 0, 0];
  for (let i = 0; i < L; i++) {
    ones += s[i];
    if (i + 1 < L) tr[s[i] * 2 + s[i + 1]]++;
  }
  const P1 = ones / L, P0 = 1 - P1;
  const row0 = tr[0] + tr[1], row1 = tr[2] + tr[3];
  const P00 = row0 ? tr[0] / row0 : 0, P01 = row0 ? tr[1] / row0 : 0, P10 = row1 ? tr[2] / row1 : 0, P11 = row1 ? tr[3] / row1 : 0;
  const lg = (x: number) => (x > 0 ? log2(x) : -Infinity);
  const cands = [
    lg(P0) + 127 * lg(P00),
    lg(P0) + 64 * lg(P01) + 63 * lg(P10),
    lg(P0) + lg(P01) + 126 * lg(P11),
    lg(P1) + lg(P10) + 126 * lg(P00),
    lg(P1) + 64 * lg(P10) + 63 * lg(P01),
    lg(P1) + 127 * lg(P11),
  ].map((x) => (Number.isNaN(x) ? -Infinity : x));
  const best = Math.max(...cands);
  return { name: "Markov (6.3.3)", h: best === 0 ? 0 : Math.min(-best / 128, 1) };
}

/** §6.3.4 Compression estimate (binary samples; Maurer-style, 6-bit blocks, 1000-block dictionary). */
export function compression(s: ArrayLike<number>): Estimate {
  const b = 6, d = 1000, Lp = Math.floor(s.length / b), v = Lp - d;
  if (v < 2) return { name: "compression (6.3.4)", h: 1, note: "too few samples" };
  const blocks = new Int32Array(Lp);
  for (let i = 0; i < Lp; i++) {
    let x = 0;
    for (let j = 0; j < b; j++) x = (x << 1) | s[i * b + j];
    blocks[i] = x;
  }
  const dict = new Int32Array(1 << b); // last position (1-based), 0 = never
  for (let i = 1; i <= d; i++) dict[blocks[i - 1]] = i;
  let sum = 0, sum2 = 0;
  for (let i = d + 1; i <= Lp; i++) {
    const x = blocks[i - 1], last = dict[x];
    const D = last ? i - last : i;
    dict[x] = i;
    const l = log2(D);
    sum += l;
    sum2 += l * l;
  }
  const mean = sum / v, c = 0.5907;
  const sigma = c * Math.sqrt(Math.max(0, sum2 / (v - 1) - mean * mean));
  const xbar = mean - (Z * sigma) / Math.sqrt(v);
  // G(z) = (1/v) Σ_{t=d+1}^{L'} Σ_{u=1}^{t} log2(u) F(z, t, u), F = z²(1−z)^(u−1) for u < t, z(1−z)^(t−1) for u = t;
  // the double sum regrouped by u: each u < t is counted for L' − max(u, d) values of t.
  const lg = new Float64Array(Lp + 1);
  for (let u = 1; u <= Lp; u++) lg[u] = log2(u);
  const G = (z: number): number => {
    if (z <= 0) return 0;
    let acc = 0, pw = 1; // (1 − z)^(u − 1)
    const q = 1 - z;
    for (let u = 1; u <= Lp; u++) {
      const tCount = Lp - Math.max(u, d);
      if (tCount > 0) acc += lg[u] * z * z * pw * tCount;
      if (u > d) acc += lg[u] * z * pw;
      pw *= q;
      if (pw < 1e-300) break;
    }
    return acc / v;
  };
  const n = (1 << b) - 1;
  const expected = (p: number) => G(p) + n * G((1 - p) / n);
  const p = solveDecreasing(expected, xbar, 1 / (1 << b), 1 - 1e-12);
  return { name: "compression (6.3.4)", h: p === null ? 1 : Math.min(1, bitsOf(p) / b) };
}


/** §6.3.5 t-Tuple and §6.3.6 Longest Repeated Substring, from one suffix array. */
export function tupleAndLrs(s: ArrayLike<number>, k: number): [Estimate, Estimate] {
  const L = s.length, tc = tupleCounts(s, k);
  // t: the largest tuple length whose most common tuple occurs at least 35 times.
  let t = 0;
  while (t + 1 <= tc.longest + 1 && tc.maxCount[t + 1] >= 35) t++;
  let pmax = 0;
  for (let i = 1; i <= t; i++) {
    const p = Math.pow(tc.maxCount[i] / (L - i + 1), 1 / i);
    if (p > pmax) pmax = p;
  }
  const tuple: Estimate = t === 0
    ? { name: "t-tuple (6.3.5)", h: NaN, note: "no tuple occurs 35 times: not applicable" }
    : { name: "t-tuple (6.3.5)", h: bitsOf(upperBound(pmax, L)) };
  // LRS: W from u = t + 1 to v = the longest repeated length.
  const u = t + 1, v = tc.longest;
  let pw = 0;
  for (let W = u; W <= v; W++) {
    const n = L - W + 1, totalPairs = (n * (n - 1)) / 2;
    const p = Math.pow(tc.pairs[W] / totalPairs, 1 / W);
    if (p > pw) pw = p;
  }
  const lrs: Estimate = u > v
    ? { name: "longest repeated substring (6.3.6)", h: NaN, note: "no repeated tuple longer than t: not applicable" }
    : { name: "longest repeated substring (6.3.6)", h: bitsOf(upperBound(pw, L)) };
  return [tuple, lrs];
}

/**
 * The common end of the four predictors (§6.3.7–6.3.10 step 4 onward): from N predictions with C
 * correct and a longest run r − 1 of correct ones, the larger of the global and local upper bounds.
 */
export function predictorEstimate(name: string, N: number, C: number, longestRun: number, k: number): Estimate {
  const pg = C / N;
  const pgU = C === 0 ? 1 - Math.pow(0.01, 1 / N) : Math.min(1, pg + Z * Math.sqrt((pg * (1 - pg)) / (N - 1)));
  const r = longestRun + 1;
  // P_local: the p solving 0.99 = (1 − p x) / ((r + 1 − r x) q) · x^-(N+1), x the root near 1 of 1 − x + q p^r x^(r+1) = 0.
  const prob = (p: number): number => {
    const q = 1 - p;
    let x = 1;
    for (let j = 0; j < 10; j++) x = 1 + q * Math.pow(p, r) * Math.pow(x, r + 1);
    return Math.log(1 - p * x) - Math.log((r + 1 - r * x) * q) - (N + 1) * Math.log(x);
  };
  // prob(p) is P(no run of r in N trials) as a log; it decreases as p grows. Solve prob(p) = ln 0.99.
  let lo = 0, hi = 1, target = Math.log(0.99);
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2, v = prob(mid);
    if (Number.isNaN(v) || v < target) hi = mid;
    else lo = mid;
  }
  const pl = lo;
  const p = Math.max(pgU, pl, 1 / k);
  return { name, h: bitsOf(p), note: `N ${N}, correct ${C}, longest run ${longestRun}` };
}

/** Counts predictions: correct count and longest run of correct ones. */
class Tally {
  N = 0; C = 0; run = 0; longest = 0;
  add(ok: boolean): void {
    this.N++;
    if (ok) { this.C++; if (++this.run > this.longest) this.longest = this.run; }
    else this.run = 0;
  }
}

/** §6.3.7 MultiMCW: the most common value in windows of 63, 255, 1023, 4095 (ties: the most recent). */
export function multiMcw(s: ArrayLike<number>, k: number): Estimate {
  const W = [63, 255, 1023, 4095], L = s.length, tally = new Tally();
  const cnt = W.map(() => new Int32Array(k)), mx = [0, 0, 0, 0], freq = [-1, -1, -1, -1];
  const lastPos = new Int32Array(k).fill(-1);
  const score = [0, 0, 0, 0];
  let winner = 0;
  for (let i = 0; i < L; i++) {
    const x = s[i];
    if (i >= W[0]) {
      const pred = i >= W[winner] ? freq[winner] : -1;
      tally.add(pred === x);
      for (let j = 0; j < 4; j++) {
        if (i >= W[j] && freq[j] === x) {
          score[j]++;
          if (score[j] >= score[winner]) winner = j;
        }
      }
    }
    // Slide every window over sample i.
    lastPos[x] = i;
    for (let j = 0; j < 4; j++) {
      const c = cnt[j];
      if (++c[x] >= mx[j]) { mx[j] = c[x]; freq[j] = x; }
      if (i >= W[j]) {
        const y = s[i - W[j]];
        c[y]--;
        if (y === freq[j]) {
          // Recount: the largest count, ties to the value seen most recently.
          let m = 0, f = -1, at = -1;
          for (let v = 0; v < k; v++) if (c[v] > m || (c[v] === m && m > 0 && lastPos[v] > at)) { m = c[v]; f = v; at = lastPos[v]; }
          mx[j] = m; freq[j] = f;
        }
      }
    }
  }
  return predictorEstimate("MultiMCW prediction (6.3.7)", tally.N, tally.C, tally.longest, k);
}

/** §6.3.8 Lag prediction: the sample d back, d = 1 … 128. */
export function lag(s: ArrayLike<number>, k: number): Estimate {
  const D = 128, L = s.length, tally = new Tally(), score = new Int32Array(D);
  let winner = 0;
  for (let i = 1; i < L; i++) {
    const x = s[i];
    const pred = i > winner ? s[i - winner - 1] : -1;
    tally.add(pred === x);
    for (let d = 0; d < D && d < i; d++) {
      if (s[i - d - 1] === x) {
        score[d]++;
        if (score[d] >= score[winner]) winner = d;
      }
    }
  }
  return predictorEstimate("Lag prediction (6.3.8)", tally.N, tally.C, tally.longest, k);
}

/**
 * Context tables for MultiMMC and LZ78Y. A context is a run of d samples; two runs are equal exactly
 * when their suffixes share a prefix of d (suffix array + LCP), so each run gets an integer id, its
 * group in suffix-array order, and the tables are typed arrays and integer-keyed maps.
 */
class Contexts {
  private sa: Int32Array;
  private lcp: Int32Array;
  private ids: (Int32Array | null)[] = [];
  /** Distinct runs of each length. */
  count: number[] = [];
  constructor(private s: ArrayLike<number>, k: number) {
    this.sa = suffixArray(s, k);
    this.lcp = lcpArray(s, this.sa);
  }
  /** Id of the run of d samples starting at each position. */
  of(d: number): Int32Array {
    let g = this.ids[d];
    if (!g) {
      const n = this.s.length, sa = this.sa, lcp = this.lcp;
      g = new Int32Array(n);
      let id = 0;
      for (let j = 0; j < n; j++) {
        if (j > 0 && lcp[j] < d) id++;
        g[sa[j]] = id;
      }
      this.ids[d] = g;
      this.count[d] = id + 1;
    }
    return g;
  }
}

/** Follower counts of the contexts of one length: which contexts exist, and each one's most frequent follower. */
class FollowerTable {
  /** Count of the most frequent follower (0 = the context is not in the table). */
  bestCount: Int32Array;
  /** That follower (ties: the largest value). */
  bestValue: Int32Array;
  private counts = new Map<number, number>();
  /** Dense counts when contexts × k is small (binary samples, short byte contexts). */
  private dense: Int32Array | null;
  constructor(n: number, private k: number) {
    this.bestCount = new Int32Array(n);
    this.bestValue = new Int32Array(n);
    this.dense = n * k <= 1 << 24 ? new Int32Array(n * k) : null;
  }
  has(id: number): boolean { return this.bestCount[id] > 0; }
  bump(id: number, y: number): void {
    const key = id * this.k + y;
    let c: number;
    if (this.dense !== null) c = ++this.dense[key];
    else {
      c = (this.counts.get(key) ?? 0) + 1;
      this.counts.set(key, c);
    }
    if (c > this.bestCount[id] || (c === this.bestCount[id] && y > this.bestValue[id])) {
      this.bestCount[id] = c;
      this.bestValue[id] = y;
    }
  }
}

/** §6.3.9 MultiMMC: Markov models of order 1 … 16, each holding at most 100 000 contexts. */
export function multiMmc(s: ArrayLike<number>, k: number, ctx?: Contexts): Estimate {
  const D = 16, L = s.length, tally = new Tally(), score = new Int32Array(D), maxEntries = 100000;
  const cx = ctx ?? new Contexts(s, k);
  const ids: Int32Array[] = [], M: FollowerTable[] = [], entries = new Int32Array(D);
  for (let d = 1; d <= D; d++) { ids.push(cx.of(d)); M.push(new FollowerTable(cx.count[d], k)); }
  const subs = new Int32Array(D);
  let winner = 0;
  for (let i = 2; i < L; i++) {
    // Train on the transition into s[i − 1]: the context of d samples before it.
    for (let d = 1; d <= D && d < i; d++) {
      const t = M[d - 1], id = ids[d - 1][i - 1 - d];
      if (!t.has(id)) {
        if (entries[d - 1] >= maxEntries) continue;
        entries[d - 1]++;
      }
      t.bump(id, s[i - 1]);
    }
    for (let d = 1; d <= D; d++) {
      const t = M[d - 1];
      subs[d - 1] = d <= i && t.has(ids[d - 1][i - d]) ? t.bestValue[ids[d - 1][i - d]] : -1;
    }
    const x = s[i];
    tally.add(subs[winner] === x);
    for (let d = 0; d < D; d++) {
      if (subs[d] === x) {
        score[d]++;
        if (score[d] >= score[winner]) winner = d;
      }
    }
  }
  return predictorEstimate("MultiMMC prediction (6.3.9)", tally.N, tally.C, tally.longest, k);
}

/** §6.3.10 LZ78Y: contexts of length 1 … 16 in one dictionary of at most 65 536 contexts. */
export function lz78y(s: ArrayLike<number>, k: number, ctx?: Contexts): Estimate {
  const B = 16, L = s.length, tally = new Tally(), maxSize = 65536;
  const cx = ctx ?? new Contexts(s, k);
  const ids: Int32Array[] = [], T: FollowerTable[] = [];
  for (let j = 1; j <= B; j++) { ids.push(cx.of(j)); T.push(new FollowerTable(cx.count[j], k)); }
  let size = 0;
  for (let i = B + 1; i < L; i++) {
    for (let j = B; j >= 1; j--) {
      const t = T[j - 1], id = ids[j - 1][i - 1 - j];
      if (!t.has(id)) {
        if (size >= maxSize) continue;
        size++;
      }
      t.bump(id, s[i - 1]);
    }
    let pred = -1, maxCount = 0;
    for (let j = B; j >= 1; j--) {
      const t = T[j - 1], id = ids[j - 1][i - j];
      if (t.bestCount[id] > maxCount) { pred = t.bestValue[id]; maxCount = t.bestCount[id]; }
    }
    tally.add(pred === s[i]);
  }
  return predictorEstimate("LZ78Y prediction (6.3.10)", tally.N, tally.C, tally.longest, k);
}

export interface Assessment {
  samples: number;
  bits: number;
  /** Estimates on the samples as they are (§6.3.1, 6.3.5–6.3.10; all ten when bits = 1). */
  original: Estimate[];
  /** Estimates on the bitstring (§3.1.3), per bit; empty when bits = 1. */
  bitstring: Estimate[];
  hOriginal: number;
  /** bits × the bitstring minimum (Infinity when bits = 1). */
  hBitstring: number;
  /** min(hOriginal, hBitstring): bits of min-entropy per sample. */
  h: number;
}

/** The bitstring of §3.1.3: each sample's `bits` bits, most significant first; at most `maxBits`. */
export function toBits(s: ArrayLike<number>, bits: number, maxBits = 1_000_000): Uint8Array {
  const n = Math.min(s.length * bits, maxBits), out = new Uint8Array(n);
  for (let o = 0; o < n; o++) out[o] = (s[Math.floor(o / bits)] >> (bits - 1 - (o % bits))) & 1;
  return out;
}

function minOf(es: Estimate[]): number {
  let m = Infinity;
  for (const e of es) if (!Number.isNaN(e.h) && e.h < m) m = e.h;
  return m;
}

/** The estimators that apply to samples of `bits` bits (all ten for binary samples). */
export function estimateAll(s: ArrayLike<number>, bits: number): Estimate[] {
  const k = Math.pow(2, bits);
  const out: Estimate[] = [mostCommonValue(s, k)];
  if (bits === 1) out.push(collision(s), markov(s), compression(s));
  const cx = new Contexts(s, k);
  out.push(...tupleAndLrs(s, k), multiMcw(s, k), lag(s, k), multiMmc(s, k, cx), lz78y(s, k, cx));
  return out;
}

/** §3.1.3: the initial entropy estimate of non-IID samples of `bits` bits (bitstring limited to 10^6 bits as NIST's tool does). */
export function assess(s: ArrayLike<number>, bits: number): Assessment {
  if (!(bits >= 1 && bits <= 8)) throw new Error("bits per sample must be 1 … 8");
  for (let i = 0; i < s.length; i++) if (s[i] >> bits) throw new Error(`sample ${i} (${s[i]}) does not fit in ${bits} bits`);
  const original = estimateAll(s, bits);
  const bitstring = bits === 1 ? [] : estimateAll(toBits(s, bits), 1);
  const hOriginal = Math.min(minOf(original), bits);
  const hBitstring = bits === 1 ? Infinity : bits * minOf(bitstring);
  return { samples: s.length, bits, original, bitstring, hOriginal, hBitstring, h: Math.min(hOriginal, hBitstring) };
}

/** CRITBINOM(n, p, 1 − α): the smallest c with P(X > c) ≤ α, X ~ Binomial(n, p) (log-space pmf). */
export function critBinom(n: number, p: number, alpha: number): number {
  if (p >= 1) return n;
  const lq = Math.log(1 - p), lr = Math.log(p) - lq, logPmf = new Float64Array(n + 1);
  logPmf[0] = n * lq;
  for (let k = 0; k < n; k++) logPmf[k + 1] = logPmf[k] + Math.log((n - k) / (k + 1)) + lr;
  let tail = 0;
  for (let k = n; k >= 0; k--) {
    if (tail + Math.exp(logPmf[k]) > alpha) return k;
    tail += Math.exp(logPmf[k]);
  }
  return 0;
}

export interface RestartResult {
  rows: number;
  columns: number;
  /** §3.1.4.3 sanity check: the most common value's largest count in any row or column, and its cutoff U. */
  maxCount: number;
  cutoff: number;
  sanityPassed: boolean;
  hRow: number;
  hColumn: number;
  /** §3.1.4.2: min(hRow, hColumn) ≥ hInitial / 2. */
  validationPassed: boolean;
  /** min(hInitial, hRow, hColumn) when both pass, else 0. */
  h: number;
}

/**
 * §3.1.4: restart tests on a rows × columns matrix (row i = the first `columns` samples after
 * restart i; 90B asks for 1000 × 1000). `hInitial` is the estimate of the sequential data.
 */
export function restartTests(m: ArrayLike<number>, rows: number, bits: number, hInitial: number): RestartResult {
  const columns = Math.floor(m.length / rows);
  if (rows < 2 || columns < 2) throw new Error("restart data needs at least 2 rows of 2 samples");
  const k = 1 << bits;
  // Sanity check (§3.1.4.3), α = 0.01 / (rows + columns).
  const cutoff = critBinom(columns > rows ? columns : rows, Math.pow(2, -hInitial), 0.01 / (rows + columns));
  let maxCount = 0;
  const counts = new Int32Array(k);
  for (let r = 0; r < rows; r++) {
    counts.fill(0);
    for (let c = 0; c < columns; c++) { const x = m[r * columns + c]; if (++counts[x] > maxCount) maxCount = counts[x]; }
  }
  for (let c = 0; c < columns; c++) {
    counts.fill(0);
    for (let r = 0; r < rows; r++) { const x = m[r * columns + c]; if (++counts[x] > maxCount) maxCount = counts[x]; }
  }
  const rowData = new Uint8Array(rows * columns), colData = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) {
    rowData[r * columns + c] = m[r * columns + c];
    colData[c * rows + r] = m[r * columns + c];
  }
  const hRow = assess(rowData, bits).h, hColumn = assess(colData, bits).h;
  const sanityPassed = maxCount <= cutoff;
  const validationPassed = Math.min(hRow, hColumn) >= hInitial / 2;
  return {
    rows, columns, maxCount, cutoff, sanityPassed, hRow, hColumn, validationPassed,
    h: sanityPassed && validationPassed ? Math.min(hInitial, hRow, hColumn) : 0,
  };
}
