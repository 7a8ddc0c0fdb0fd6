/** Helpers for loaders' representative subsets (LoaderOptions.sample). Not a suite itself. */

/** Up to `n` items of `list`, evenly spread from its first to its last (all of them when n ≥ length). */
export function spread<T>(list: T[], n: number): T[] {
  if (n >= list.length) return list.slice();
  if (n <= 1) return list.slice(0, n);
  const out: T[] = [];
  for (let k = 0; k < n; k++) out.push(list[Math.round((k * (list.length - 1)) / (n - 1))]);
  return out;
}
