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

/**
 * LongMsg vectors as list items: a message of at most `partBytes` bytes stays [hex, md]; a longer
 * one becomes consecutive parts (test-sim/selftest/long-message.ts) that carry the vector's index
 * in the file. Without `partBytes`, every vector stays whole.
 */
export function longItems(long: MsgVector[], index: number[], partBytes?: number): unknown[] {
  const out: unknown[] = [];
  long.forEach(([m, md], j) => {
    const bytes = m.length / 2;
    if (!partBytes || bytes <= partBytes) { out.push([m, md]); return; }
    for (let at = 0; at < bytes; at += partBytes) {
      const end = Math.min(at + partBytes, bytes);
      out.push({ i: index[j], at, of: bytes, part: m.slice(2 * at, 2 * end), ...(end === bytes ? { md } : {}) });
    }
  });
  return out;
}

/**
 * A subset (LoaderOptions.sample) of a ShortMsg/LongMsg pair: the short messages of the lengths in
 * `shortLengths` (around the padding and block boundaries), and of the long ones the one nearest
 * 1 KB (several parts when partBytes is 512) and, unless `smoke`, the first. Returns the long
 * messages' indexes in the file too.
 */
export function sampleMessages(short: MsgVector[], long: MsgVector[], shortLengths: number[], smoke: boolean): { short: MsgVector[]; long: MsgVector[]; index: number[] } {
  let near = 0;
  long.forEach(([m], j) => { if (Math.abs(m.length / 2 - 1024) < Math.abs(long[near][0].length / 2 - 1024)) near = j; });
  const index = smoke || near === 0 ? [near] : [0, near];
  return { short: short.filter(([m]) => shortLengths.includes(m.length / 2)), long: index.map((j) => long[j]), index };
}
