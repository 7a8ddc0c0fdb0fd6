/** Parses the self-test's closing line `N passed, M failed`. */
export function parseSummary(stdout: string): { passed: number; failed: number } | null {
  const lines = stdout.trim().split("\n");
  const m = /^(\d+) passed, (\d+) failed$/.exec(lines[lines.length - 1] ?? "");
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : null;
}
