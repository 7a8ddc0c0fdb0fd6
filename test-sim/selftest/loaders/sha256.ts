/** NIST CAVP SHA-256 vectors (ShortMsg, LongMsg, Monte): all of them, on every engine. */
import { msgVectors, monteVectors } from "./nist-sha.ts";

export default function load(): unknown {
  return {
    short: msgVectors("SHA256ShortMsg.rsp"),
    long: msgVectors("SHA256LongMsg.rsp"),
    monte: monteVectors("SHA256Monte.rsp"),
  };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["short", "long"];
