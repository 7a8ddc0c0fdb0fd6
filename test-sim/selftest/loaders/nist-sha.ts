/**
 * Parser for NIST CAVP SHS byte-oriented response files (../shared/vectors/nist-sha/*.rsp), used by
 * the sha256/sha512 loaders and host tests. Not a suite itself (there is no suites/nist-sha.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";

/** [message hex, digest hex]; `Len = 0` files list `Msg = 00`, which is the empty message. */
export type MsgVector = [string, string];
export interface MonteVectors { seed: string; mds: string[] }

function fields(file: string): [string, string][] {
  const text = readFileSync(join(VECTORS, "nist-sha", file), "utf8");
  const out: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^(\w+) = (\w*)$/.exec(line.trim());
    if (m) out.push([m[1], m[2]]);
  }
  return out;
}

/** ShortMsg / LongMsg files: Len (bits), Msg, MD. */
export function msgVectors(file: string): MsgVector[] {
  const out: MsgVector[] = [];
  let len = -1, msg = "";
  for (const [k, v] of fields(file)) {
    if (k === "Len") len = Number(v);
    else if (k === "Msg") msg = v;
    else if (k === "MD") {
      if (len % 8 !== 0) throw new Error(`${file}: bit-oriented Len ${len}`);
      const hex = msg.slice(0, len / 4);
      if (hex.length !== len / 4) throw new Error(`${file}: Msg shorter than Len ${len}`);
      out.push([hex, v.toLowerCase()]);
    }
  }
  return out;
}

/** Monte files: Seed, then COUNT/MD pairs (the MD1002 of each of the 100 outer iterations). */
export function monteVectors(file: string): MonteVectors {
  let seed = "";
  const mds: string[] = [];
  for (const [k, v] of fields(file)) {
    if (k === "Seed") seed = v.toLowerCase();
    else if (k === "MD") mds.push(v.toLowerCase());
  }
  return { seed, mds };
}
