/** RFC 8439 ChaCha20 vectors: §2.3.2 + A.1 (block function), §2.4.2 + A.2 (encryption). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";

export default function load(): unknown {
  const rfc = JSON.parse(readFileSync(join(VECTORS, "rfc/rfc8439.json"), "utf8"));
  return {
    block: rfc.chacha20Block.map((v: any) => ({ key: v.key, nonce: v.nonce, counter: v.blockCounter, out: v.keystream })),
    encrypt: rfc.chacha20Encrypt.map((v: any) => ({ key: v.key, nonce: v.nonce, counter: v.initialCounter, pt: v.plaintext, ct: v.ciphertext })),
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["block", "encrypt"];
