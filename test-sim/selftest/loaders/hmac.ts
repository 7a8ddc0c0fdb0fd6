/** HMAC vectors: RFC 4231 test cases 1–7 (SHA-256 and SHA-512) and Wycheproof hmac_sha256/hmac_sha512. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";

interface WycheproofMac { testGroups: { tests: { key: string; msg: string; tag: string; result: string }[] }[] }

/** [key, msg, tag (possibly truncated), 1 if valid else 0]. */
function wycheproof(file: string): [string, string, string, number][] {
  const d = JSON.parse(readFileSync(join(VECTORS, "wycheproof", file), "utf8")) as WycheproofMac;
  return d.testGroups.flatMap((g) => g.tests.map((t): [string, string, string, number] => {
    if (t.result !== "valid" && t.result !== "invalid") throw new Error(`${file}: unexpected result ${t.result}`);
    return [t.key, t.msg, t.tag, t.result === "valid" ? 1 : 0];
  }));
}

export default function load(): unknown {
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc4231.json"), "utf8")) as {
    tests: { key: string; data: string; hmacSha256: string; hmacSha512: string }[];
  };
  return {
    // [key, data, HMAC-SHA-256, HMAC-SHA-512]; test case 5 gives 128-bit (truncated) tags.
    rfc4231: rfc.tests.map((t) => [t.key, t.data, t.hmacSha256, t.hmacSha512]),
    sha256: wycheproof("hmac_sha256_test.json"),
    sha512: wycheproof("hmac_sha512_test.json"),
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["rfc4231", "sha256", "sha512"];
