/**
 * HKDF vectors: RFC 5869 App. A.1–A.3 (SHA-256) and Wycheproof hkdf_sha256/hkdf_sha512. Options
 * (build/selftest.ts, LoaderOptions): `sample: "spread"` keeps RFC 5869 and of each Wycheproof
 * file 6 valid tests of at most 1 KB spread over the file and its shortest invalid size; `"smoke"`
 * RFC 5869 A.1 and of each file its first valid test and shortest invalid size; `okmBytes` is
 * the longest output a check may build whole: longer valid outputs are checked block by block
 * (the suite says how), and the one-off checks of the longest allowed lengths need that much.
 */
import type { LoaderOptions } from "../../../build/selftest.ts";
import { spread } from "./sample.ts";
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
 * WHOLE_OKM bytes, or { sha256: hex, blocks: okmBytes } when longer than LoaderOptions.okmBytes);
 * [ikm, salt, info, size] (no okm) for invalid ones.
 */
function wycheproof(file: string, o: LoaderOptions): unknown[][] {
  const d = JSON.parse(readFileSync(join(VECTORS, "wycheproof", file), "utf8")) as WycheproofHkdf;
  let tests = d.testGroups.flatMap((g) => g.tests);
  if (o.sample) {
    const invalid = tests.filter((t) => t.result === "invalid").reduce((a, t) => (t.size < a.size ? t : a));
    tests = [...spread(tests.filter((t) => t.result === "valid" && t.size <= 1024), o.sample === "smoke" ? 1 : 6), invalid];
  }
  return tests.map((t) => {
    const digest = () => createHash("sha256").update(Buffer.from(t.okm, "hex")).digest("hex");
    if (t.result === "valid" && o.okmBytes !== undefined && t.size > o.okmBytes) return [t.ikm, t.salt, t.info, t.size, { sha256: digest(), blocks: o.okmBytes }];
    if (t.result === "valid") return [t.ikm, t.salt, t.info, t.size, t.okm.length / 2 > WHOLE_OKM ? { sha256: digest() } : t.okm];
    if (t.result === "invalid") return [t.ikm, t.salt, t.info, t.size];
    throw new Error(`${file}: unexpected result ${t.result}`);
  });
}

export default function load(o: LoaderOptions): unknown {
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc5869.json"), "utf8")) as {
    tests: { hash: string; ikm: string; salt: string; info: string; length: number; prk: string; okm: string }[];
  };
  if (rfc.tests.some((t) => t.hash !== "SHA-256")) throw new Error("rfc5869.json: expected SHA-256 only");
  return {
    rfc5869: rfc.tests.map((t) => [t.ikm, t.salt, t.info, t.length, t.prk, t.okm]).slice(0, o.sample === "smoke" ? 1 : undefined),
    sha256: wycheproof("hkdf_sha256_test.json", o),
    sha512: wycheproof("hkdf_sha512_test.json", o),
    // The longest output a check may build whole (the one-off "255·HashLen is allowed" checks need it).
    okmBytes: o.okmBytes ?? 16320,
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["rfc5869", "sha256", "sha512"];
