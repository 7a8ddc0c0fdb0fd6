/**
 * Suffix array (prefix doubling with counting sorts, O(n log n)) and LCP array (Kasai), and from
 * them, for every tuple length W at once, the two counts SP 800-90B's t-tuple and LRS estimates need:
 * the number of occurrences of the most common W-tuple, and the number of pairs of equal W-tuples.
 * Host side (npm run entropy).
 */

/** The suffix array of `s` (values 0 … k−1). */
export function suffixArray(s: ArrayLike<number>, k: number): Int32Array {
  const n = s.length;
  const sa = new Int32Array(n), rank = new Int32Array(n), tmp = new Int32Array(n);
  if (n === 0) return sa;
  let classes = Math.max(k, n) + 1;
  let cnt = new Int32Array(classes);
  for (let i = 0; i < n; i++) cnt[s[i]]++;
  for (let i = 1; i < k; i++) cnt[i] += cnt[i - 1];
  for (let i = n - 1; i >= 0; i--) sa[--cnt[s[i]]] = i;
  rank[sa[0]] = 0;
  classes = 1;
  for (let j = 1; j < n; j++) {
    if (s[sa[j]] !== s[sa[j - 1]]) classes++;
    rank[sa[j]] = classes - 1;
  }
  const second = new Int32Array(n);
  for (let h = 1; classes < n; h <<= 1) {
    // Order by the second key (rank at i + h; missing sorts first), then stably by the first.
    let p = 0;
    for (let i = n - h; i < n; i++) second[p++] = i;
    for (let j = 0; j < n; j++) if (sa[j] >= h) second[p++] = sa[j] - h;
    cnt = new Int32Array(classes);
    for (let i = 0; i < n; i++) cnt[rank[i]]++;
    for (let i = 1; i < classes; i++) cnt[i] += cnt[i - 1];
    for (let j = n - 1; j >= 0; j--) sa[--cnt[rank[second[j]]]] = second[j];
    tmp[sa[0]] = 0;
    let c = 1;
    for (let j = 1; j < n; j++) {
      const a = sa[j - 1], b = sa[j];
      const ra = a + h < n ? rank[a + h] : -1, rb = b + h < n ? rank[b + h] : -1;
      if (rank[a] !== rank[b] || ra !== rb) c++;
      tmp[b] = c - 1;
    }
    rank.set(tmp);
    classes = c;
  }
  return sa;
}

/** lcp[j] = longest common prefix of the suffixes sa[j − 1] and sa[j] (lcp[0] = 0). */
export function lcpArray(s: ArrayLike<number>, sa: Int32Array): Int32Array {
  const n = s.length, rank = new Int32Array(n), lcp = new Int32Array(n);
  for (let j = 0; j < n; j++) rank[sa[j]] = j;
  let h = 0;
  for (let i = 0; i < n; i++) {
    if (rank[i] > 0) {
      const j = sa[rank[i] - 1];
      while (i + h < n && j + h < n && s[i + h] === s[j + h]) h++;
      lcp[rank[i]] = h;
      if (h > 0) h--;
    } else h = 0;
  }
  return lcp;
}

export interface TupleCounts {
  /** The longest W with a repeated W-tuple (0 when no sample value repeats). */
  longest: number;
  /** maxCount[W]: occurrences of the most common W-tuple, W = 1 … longest + 1. */
  maxCount: Float64Array;
  /** pairs[W]: Σ over distinct W-tuples of C(count, 2), W = 1 … longest + 1. */
  pairs: Float64Array;
}

/**
 * Every W at once: suffixes whose pairwise LCP is ≥ W share their first W samples. Merging adjacent
 * suffix-array groups in decreasing order of LCP (union-find) gives, for each threshold W, the
 * group sizes: the largest is the most common W-tuple's count, and Σ C(size, 2) its pairs.
 */
export function tupleCounts(s: ArrayLike<number>, k: number): TupleCounts {
  const n = s.length;
  const sa = suffixArray(s, k), lcp = lcpArray(s, sa);
  let longest = 0;
  for (let j = 1; j < n; j++) if (lcp[j] > longest) longest = lcp[j];
  const maxCount = new Float64Array(longest + 2), pairs = new Float64Array(longest + 2);
  // Bucket the LCP positions by value, then merge from the largest value down.
  const byValue = new Int32Array(longest + 2);
  for (let j = 1; j < n; j++) byValue[lcp[j]]++;
  const start = new Int32Array(longest + 2);
  for (let v = longest - 1; v >= 0; v--) start[v] = start[v + 1] + byValue[v + 1];
  const order = new Int32Array(Math.max(0, n - 1)), fill = start.slice();
  for (let j = 1; j < n; j++) order[fill[lcp[j]]++] = j;
  const parent = new Int32Array(n), size = new Int32Array(n);
  for (let j = 0; j < n; j++) { parent[j] = j; size[j] = 1; }
  const find = (x: number): number => {
    while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; }
    return x;
  };
  let best = 1, pairSum = 0, o = 0;
  for (let w = longest + 1; w >= 1; w--) {
    // Merge every adjacent pair with lcp ≥ w (those with lcp = w are new at this threshold).
    while (o < order.length && lcp[order[o]] >= w) {
      const j = order[o++];
      const a = find(j - 1), b = find(j);
      if (a !== b) {
        pairSum += size[a] * size[b];
        if (size[a] < size[b]) { parent[a] = b; size[b] += size[a]; if (size[b] > best) best = size[b]; }
        else { parent[b] = a; size[a] += size[b]; if (size[a] > best) best = size[a]; }
      }
    }
    maxCount[w] = best;
    pairs[w] = pairSum;
  }
  return { longest, maxCount, pairs };
}
