/** RFC 8439 Poly1305 vectors: §2.5.2 + A.3 (incl. the edge cases), and §2.6.2 + A.4 key generation. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";

export default function load(): unknown {
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc8439.json"), "utf8"));
  return {
    mac: rfc.poly1305.map((v: any) => ({ key: v.key, msg: v.message, tag: v.tag })),
    keyGen: rfc.poly1305KeyGen.map((v: any) => ({ key: v.key, nonce: v.nonce, otk: v.polyKey })),
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["mac", "keyGen"];
