/**
 * CPace vectors for the `cpace` suite: every draft21_embedded_*.json of draft-irtf-cfrg-cpace-21
 * (CPACE-X25519-SHA512) and x25519_scalar_mult_vfy_low_order.json, lower-cased hex, only the
 * fields the suite checks.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS } from "../../../build/paths.ts";

function json(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(VECTORS, "cpace", file), "utf8"));
}

const lc = (s: unknown) => String(s).toLowerCase();
const ascii = (s: string) => Buffer.from(s, "latin1").toString("hex");
const range = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i)).toString("hex");

export function cpaceVectors() {
  const gen = json("draft21_embedded_X25519_calculate_generator.json");
  const run = json("draft21_embedded_X25519_SHA512_protocol.json");
  const pre = json("draft21_embedded_prepend_len.json");
  const lv = json("draft21_embedded_lv_cat.json");
  const oc = json("draft21_embedded_o_cat.json");
  const tir = json("draft21_embedded_transcript_ir.json");
  const toc = json("draft21_embedded_transcript_oc.json");
  const low = json("draft21_embedded_X25519_low_order_inputs.json");
  const vfy = json("x25519_scalar_mult_vfy_low_order.json") as { tests: { name: string; s: string; u: string; q: string; mustAbortInProtocol: boolean }[] };
  const transcripts = (o: Record<string, unknown>, fn: string) => [
    ["123", "PartyA", "234", "PartyB"],
    ["3456", "PartyA", "2345", "PartyB"],
  ].map((a) => [...a.map(ascii), lc(o[`${fn}(b'${a[0]}',b'${a[1]}',b'${a[2]}',b'${a[3]}')`])]);
  return {
    generator: {
      prs: lc(gen.PRS), ci: lc(gen.CI), sid: lc(gen.sid), dsi: lc(gen.DSI), zpad: gen["ZPAD length"] as number,
      str: lc(gen["generator_string(G.DSI,PRS,CI,sid,H.s_in_bytes)"]),
      hash: lc(gen["hash generator string"]),
      field: lc(gen["decoded field element of 255 bits"]),
      g: lc(gen["generator g"]),
    },
    /** [input hex, prepend_len(input) hex]. */
    prependLen: [
      ["", lc(pre["prepend_len(b'')"])],
      [lc(pre["b'1234'"]), lc(pre["prepend_len(b'1234')"])],
      [range(127), lc(pre["prepend_len(bytes(range(127)))"])],
      [range(128), lc(pre["prepend_len(bytes(range(128)))"])],
    ],
    lvCat: { parts: [lc(lv["b'1234'"]), lc(lv["b'5'"]), "", lc(lv["b'678'"])], out: lc(lv["lv_cat(b'1234',b'5',b'',b'678')"]) },
    /** [bytes1, bytes2, o_cat(bytes1, bytes2)]. */
    oCat: [
      [lc(oc["b'ABCD'"]), lc(oc["b'BCD'"]), lc(oc["o_cat(b'ABCD',b'BCD')"])],
      [lc(oc["b'BCD'"]), lc(oc["b'ABCDE'"]), lc(oc["o_cat(b'BCD',b'ABCDE')"])],
    ],
    /** The draft's lexiographically_larger table: [bytes1, bytes2, result]. */
    larger: [["00", "0000", false], ["01", "0000", true], ["0000", "00", true], ["0000", "01", false], ["0001", "01", false], [ascii("ABCD"), ascii("BCD"), false]],
    /** [Ya, ADa, Yb, ADb, transcript]. */
    transcriptIr: transcripts(tir, "transcript_ir"),
    transcriptOc: transcripts(toc, "transcript_oc"),
    run: Object.fromEntries(Object.entries(run).map(([k, v]) => [k, lc(v)])),
    /** scalar_mult_vfy(s, u) = q for the 12 low-order / non-canonical u; `a`: must abort in a run. */
    vfy: vfy.tests.map((x) => ({ name: x.name, s: x.s, u: x.u, q: x.q, a: x.mustAbortInProtocol })),
    /** The draft's invalid Y0 … Y11 (the same u values, from the embedded JSON block). */
    invalidY: Object.keys(low).map((k) => lc(low[k])),
  };
}

export default function load(): unknown {
  return cpaceVectors();
}
