/**
 * NIST CAVP HMAC_DRBG SHA-256 vectors (SP 800-90A, CAVS 14.3), all 480: the pr_false .rsp file
 * (CRLF) and the pr_true file with intermediate V/Key (LF). See ../shared/vectors/SOURCES.md.
 * Each test becomes a flat array of hex strings, so Duktape parses the embedded JSON quickly.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";

export interface DrbgBlock { params: Record<string, string>; fields: [string, string][] }

/** Splits a CAVP response file into COUNT blocks, each with its section's [params] and its fields in order. */
export function parseRsp(text: string): DrbgBlock[] {
  const out: DrbgBlock[] = [];
  let params: Record<string, string> = {}, cur: DrbgBlock | null = null, inHeader = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const sec = /^\[(.+?)(?:\s*=\s*(.*))?\]$/.exec(line);
    if (sec) {
      if (!inHeader) { params = {}; inHeader = true; }
      params[sec[1]] = sec[2] ?? "";
      cur = null;
      continue;
    }
    inHeader = false;
    if (line.startsWith("**")) { // "** INSTANTIATE:", "** GENERATE (FIRST CALL):" …
      cur!.fields.push(["stage", line]);
      continue;
    }
    const kv = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (!kv) throw new Error("unparsed line: " + line);
    if (kv[1] === "COUNT") { cur = { params, fields: [] }; out.push(cur); continue; }
    cur!.fields.push([kv[1], kv[2].toLowerCase()]);
  }
  return out;
}

function values(b: DrbgBlock, name: string): string[] {
  return b.fields.filter(([k]) => k === name).map(([, v]) => v);
}

/** pr_false: [entropy, nonce, pers, entropyReseed, addReseed, add1, add2, returnedBits]. */
export function prFalse(): string[][] {
  const blocks = parseRsp(readFileSync(join(VECTORS, "nist-drbg/HMAC_DRBG_pr_false_SHA-256.rsp"), "utf8"));
  return blocks.map((b) => {
    if (b.params["SHA-256"] === undefined || b.params.PredictionResistance !== "False") throw new Error("unexpected section");
    const add = values(b, "AdditionalInput");
    if (add.length !== 2) throw new Error("expected two AdditionalInput");
    return [values(b, "EntropyInput")[0], values(b, "Nonce")[0], values(b, "PersonalizationString")[0],
      values(b, "EntropyInputReseed")[0], values(b, "AdditionalInputReseed")[0], add[0], add[1], values(b, "ReturnedBits")[0]];
  });
}

/** pr_true: [entropy, nonce, pers, V0, Key0, add1, entropyPR1, V1, Key1, add2, entropyPR2, returnedBits, V2, Key2]. */
export function prTrue(): string[][] {
  const blocks = parseRsp(readFileSync(join(VECTORS, "nist-drbg/HMAC_DRBG_pr_true_SHA-256_with_intermediates.txt"), "utf8"));
  return blocks.map((b) => {
    if (b.params.PredictionResistance !== "True") throw new Error("unexpected section");
    const V = values(b, "V"), K = values(b, "Key"), add = values(b, "AdditionalInput"), pr = values(b, "EntropyInputPR");
    if (V.length !== 3 || K.length !== 3 || add.length !== 2 || pr.length !== 2) throw new Error("unexpected pr_true block");
    return [values(b, "EntropyInput")[0], values(b, "Nonce")[0], values(b, "PersonalizationString")[0], V[0], K[0],
      add[0], pr[0], V[1], K[1], add[1], pr[1], values(b, "ReturnedBits")[0], V[2], K[2]];
  });
}

export default function load(): unknown {
  return { prFalse: prFalse(), prTrue: prTrue() };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["prFalse", "prTrue"];
