/** HKDF vectors: RFC 5869 App. A.1–A.3 (SHA-256) and Wycheproof hkdf_sha256/hkdf_sha512. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";

interface WycheproofHkdf { testGroups: { tests: { ikm: string; salt: string; info: string; size: number; okm: string; result: string }[] }[] }

/**
 * OKMs longer than this travel as their SHA-256 (the suite hashes its output): an 8 160- or
 * 16 320-byte OKM as hex is a 16 or 32 KB string, which a 64 KB engine heap cannot hold beside the
 * key itself and the image.
 */
const WHOLE_OKM = 1024;

/**
 * [ikm, salt, info, size, okm] for valid tests (okm: hex, or { sha256: hex } when longer than
 * WHOLE_OKM bytes); [ikm, salt, info, size] (no okm) for invalid ones.
 */
function wycheproof(file: string): unknown[][] {
  const d = JSON.parse(readFileSync(join(VECTORS, "wycheproof", file), "utf8")) as WycheproofHkdf;
  return d.testGroups.flatMap((g) => g.tests.map((t) => {
    if (t.result === "valid") return [t.ikm, t.salt, t.info, t.size, t.okm.length / 2 > WHOLE_OKM ? { sha256: createHash("sha256").update(Buffer.from(t.okm, "hex")).digest("hex") } : t.okm];
    if (t.result === "invalid") return [t.ikm, t.salt, t.info, t.size];
    throw new Error(`${file}: unexpected result ${t.result}`);
  }));
}

export default function load(): unknown {
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc5869.json"), "utf8")) as {
    tests: { hash: string; ikm: string; salt: string; info: string; length: number; prk: string; okm: string }[];
  };
  if (rfc.tests.some((t) => t.hash !== "SHA-256")) throw new Error("rfc5869.json: expected SHA-256 only");
  return {
    rfc5869: rfc.tests.map((t) => [t.ikm, t.salt, t.info, t.length, t.prk, t.okm]),
    sha256: wycheproof("hkdf_sha256_test.json"),
    sha512: wycheproof("hkdf_sha512_test.json"),
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["rfc5869", "sha256", "sha512"];
