/** NIST CAVP SHA-512 vectors (ShortMsg, LongMsg, Monte): all of them, on every engine. */
import { msgVectors, monteVectors } from "./nist-sha.ts";

export default function load(): unknown {
  return {
    short: msgVectors("SHA512ShortMsg.rsp"),
    long: msgVectors("SHA512LongMsg.rsp"),
    monte: monteVectors("SHA512Monte.rsp"),
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["short", "long"];
