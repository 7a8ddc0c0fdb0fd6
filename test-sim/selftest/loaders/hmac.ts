/**
 * HMAC vectors: RFC 4231 test cases 1–7 (SHA-256 and SHA-512) and Wycheproof hmac_sha256/hmac_sha512.
 * `sample: "spread"` (build/selftest.ts, LoaderOptions) keeps test cases 1, 4 and 7 (7: a key
 * longer than the block) and 4 Wycheproof tests of each file spread over it; `"smoke"` test case
 * 1 and the first and last Wycheproof test of each file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";
import type { LoaderOptions } from "../../../build/selftest.ts";
import { spread } from "./sample.ts";

interface WycheproofMac { testGroups: { tests: { key: string; msg: string; tag: string; result: string }[] }[] }

/** [key, msg, tag (possibly truncated), 1 if valid else 0]. */
function wycheproof(file: string): [string, string, string, number][] {
  const d = JSON.parse(readFileSync(join(VECTORS, "wycheproof", file), "utf8")) as WycheproofMac;
  return d.testGroups.flatMap((g) => g.tests.map((t): [string, string, string, number] => {
    if (t.result !== "valid" && t.result !== "invalid") throw new Error(`${file}: unexpected result ${t.result}`);
    return [t.key, t.msg, t.tag, t.result === "valid" ? 1 : 0];
  }));
}

export default function load(o: LoaderOptions): unknown {
  const some = <T>(list: T[], n: number): T[] => (o.sample ? spread(list, o.sample === "smoke" ? Math.min(n, 2) : n) : list);
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc4231.json"), "utf8")) as {
    tests: { key: string; data: string; hmacSha256: string; hmacSha512: string }[];
  };
  return {
    // [key, data, HMAC-SHA-256, HMAC-SHA-512, test case]; test case 5 gives 128-bit (truncated) tags.
    rfc4231: some(rfc.tests.map((t, i) => [t.key, t.data, t.hmacSha256, t.hmacSha512, i + 1]), 3).slice(0, o.sample === "smoke" ? 1 : undefined),
    sha256: some(wycheproof("hmac_sha256_test.json"), 4),
    sha512: some(wycheproof("hmac_sha512_test.json"), 4),
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["rfc4231", "sha256", "sha512"];
