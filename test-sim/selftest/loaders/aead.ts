/**
 * ChaCha20-Poly1305 vectors: RFC 8439 §2.8.2 and A.5, and all 325 Wycheproof tests
 * (chacha20_poly1305_test.json). Only the fields the suite needs are kept; ct and tag are joined
 * into the wire format ct ‖ tag. `sample` (build/selftest.ts, LoaderOptions) keeps the RFC vectors
 * and 8 Wycheproof tests spread over the file (`"smoke"`: 2, the first and the last).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";
import type { LoaderOptions } from "../../../build/selftest.ts";
import { spread } from "./sample.ts";

export default function load(o: LoaderOptions): unknown {
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc8439.json"), "utf8"));
  const wp = JSON.parse(readFileSync(join(VECTORS, "wycheproof/chacha20_poly1305_test.json"), "utf8"));
  const wycheproof: unknown[] = [];
  for (const g of wp.testGroups)
    for (const t of g.tests)
      // [tcId, valid?, key, nonce, aad, msg, ct‖tag]: arrays keep the embedded JSON small for Duktape.
      wycheproof.push([t.tcId, t.result === "valid" ? 1 : 0, t.key, t.iv, t.aad, t.msg, t.ct + t.tag]);
  return {
    rfc: rfc.aead.map((v: any) => ({ key: v.key, nonce: v.nonce, aad: v.aad, pt: v.plaintext, sealed: v.ciphertext + v.tag })),
    wycheproof: o.sample ? spread(wycheproof, o.sample === "smoke" ? 2 : 8) : wycheproof,
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["rfc", "wycheproof"];
