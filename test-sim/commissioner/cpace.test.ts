/** commissioner/cpace.ts against draft-irtf-cfrg-cpace-21 (CPACE-X25519-SHA512) vectors. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { _map_to_curve_elligator2_curve25519 } from "@noble/curves/ed25519.js";
import { invert, mod } from "@noble/curves/abstract/modular.js";
import {
  DSI, calculateGenerator, cpaceInitiatorFinish, cpaceRespond, cpaceShare, elligator2Curve25519, generatorString,
  iskIr, iskOc, lvCat, oCat, prependLen, scalarMultVfy, sidOutputIr, sidOutputOc, transcriptIr, transcriptOc,
} from "../../commissioner/cpace.ts";
import { fromHex, toHex } from "../../commissioner/bytes.ts";
import { readVectorJson } from "./vectors.ts";

const h = (s: string) => fromHex(s.toLowerCase());
const hex = (b: Uint8Array) => toHex(b).toUpperCase();
const ascii = (s: string) => new TextEncoder().encode(s);

test("cpace: prepend_len, lv_cat, o_cat, transcript_ir and transcript_oc utility vectors", () => {
  const pl = readVectorJson("cpace", "draft21_embedded_prepend_len.json");
  assert.equal(hex(prependLen(new Uint8Array(0))), pl["prepend_len(b'')"]);
  assert.equal(hex(prependLen(ascii("1234"))), pl["prepend_len(b'1234')"]);
  assert.equal(hex(prependLen(Uint8Array.from({ length: 127 }, (_, i) => i))), pl["prepend_len(bytes(range(127)))"]);
  assert.equal(hex(prependLen(Uint8Array.from({ length: 128 }, (_, i) => i))), pl["prepend_len(bytes(range(128)))"]);
  assert.equal(toHex(prependLen(new Uint8Array(300)).subarray(0, 2)), "ac02", "LEB128 of 300");
  const lv = readVectorJson("cpace", "draft21_embedded_lv_cat.json");
  assert.equal(hex(lvCat(ascii("1234"), ascii("5"), ascii(""), ascii("678"))), lv["lv_cat(b'1234',b'5',b'',b'678')"]);
  const oc = readVectorJson("cpace", "draft21_embedded_o_cat.json");
  assert.equal(hex(oCat(ascii("ABCD"), ascii("BCD"))), oc["o_cat(b'ABCD',b'BCD')"]);
  assert.equal(hex(oCat(ascii("BCD"), ascii("ABCDE"))), oc["o_cat(b'BCD',b'ABCDE')"]);
  const ir = readVectorJson("cpace", "draft21_embedded_transcript_ir.json");
  assert.equal(hex(transcriptIr(ascii("123"), ascii("PartyA"), ascii("234"), ascii("PartyB"))), ir["transcript_ir(b'123',b'PartyA',b'234',b'PartyB')"]);
  assert.equal(hex(transcriptIr(ascii("3456"), ascii("PartyA"), ascii("2345"), ascii("PartyB"))), ir["transcript_ir(b'3456',b'PartyA',b'2345',b'PartyB')"]);
  const toc = readVectorJson("cpace", "draft21_embedded_transcript_oc.json");
  assert.equal(hex(transcriptOc(ascii("123"), ascii("PartyA"), ascii("234"), ascii("PartyB"))), toc["transcript_oc(b'123',b'PartyA',b'234',b'PartyB')"]);
  assert.equal(hex(transcriptOc(ascii("3456"), ascii("PartyA"), ascii("2345"), ascii("PartyB"))), toc["transcript_oc(b'3456',b'PartyA',b'2345',b'PartyB')"]);
});

test("cpace: generator string (ZPAD 109) and generator g", () => {
  const v = readVectorJson("cpace", "draft21_embedded_X25519_calculate_generator.json");
  assert.equal(hex(generatorString(DSI, h(v.PRS), h(v.CI), h(v.sid))), v["generator_string(G.DSI,PRS,CI,sid,H.s_in_bytes)"]);
  assert.equal(v["ZPAD length"], 109);
  assert.equal(hex(calculateGenerator(h(v.PRS), h(v.CI), h(v.sid))), v["generator g"]);
});

test("cpace: the protocol vector — Ya, Yb, K both ways, ISK_IR, ISK_SY, sid outputs (testvectors.json and the draft's embedded copy)", () => {
  const a = readVectorJson("cpace", "testvectors.json").G_25519;
  const b = readVectorJson("cpace", "draft21_embedded_X25519_SHA512_protocol.json");
  for (const v of [a, b]) {
    const [prs, ci, sid, ADa, ADb] = [h(v.PRS), h(v.CI), h(v.sid), h(v.ADa), h(v.ADb)];
    assert.equal(hex(calculateGenerator(prs, ci, sid)), v.g);
    const A = cpaceShare({ prs, ci, sid, ad: ADa, scalar: h(v.ya) });
    assert.equal(hex(A.Y), v.Ya);
    const B = cpaceShare({ prs, ci, sid, ad: ADb, scalar: h(v.yb) });
    assert.equal(hex(B.Y), v.Yb);
    assert.equal(hex(scalarMultVfy(h(v.ya), h(v.Yb))), v.K);
    assert.equal(hex(scalarMultVfy(h(v.yb), h(v.Ya))), v.K);
    assert.equal(hex(iskIr(sid, h(v.K), h(v.Ya), ADa, h(v.Yb), ADb)), v.ISK_IR);
    assert.equal(hex(iskOc(sid, h(v.K), h(v.Ya), ADa, h(v.Yb), ADb)), v.ISK_SY);
    assert.equal(hex(sidOutputIr(h(v.Ya), ADa, h(v.Yb), ADb)), v.sid_output_ir);
    assert.equal(hex(sidOutputOc(h(v.Ya), ADa, h(v.Yb), ADb)), v.sid_output_oc);
    // The high-level calls give the same ISK on both sides.
    assert.equal(hex(cpaceInitiatorFinish(A, sid, h(v.Yb), ADa, ADb)), v.ISK_IR);
    const r = cpaceRespond({ prs, ci, sid, ad: ADb, scalar: h(v.yb) }, h(v.Ya), ADa);
    assert.equal(hex(r.Yb), v.Yb);
    assert.equal(hex(r.isk), v.ISK_IR);
  }
});

test("cpace: scalar_mult_vfy on the 12 low-order/non-canonical inputs; u0–u5 and u7 abort the protocol", () => {
  const v = readVectorJson("cpace", "x25519_scalar_mult_vfy_low_order.json");
  assert.equal(v.tests.length, 12);
  const embedded = readVectorJson("cpace", "draft21_embedded_X25519_low_order_inputs.json");
  let aborts = 0;
  for (const t of v.tests) {
    assert.equal(toHex(scalarMultVfy(fromHex(t.s), fromHex(t.u))), t.q, t.name);
    const share = { y: fromHex(t.s), Y: new Uint8Array(32) };
    const sid = fromHex("7e4b4791d6a8ef019b936c79fb7f2c57");
    if (t.mustAbortInProtocol) {
      aborts++;
      assert.throws(() => cpaceInitiatorFinish(share, sid, fromHex(t.u)), (e: any) => e.code === "BAD_SHARE", t.name);
      assert.throws(() => cpaceRespond({ prs: ascii("20202021"), ci: ascii("ci"), sid }, fromHex(t.u)), (e: any) => e.code === "BAD_SHARE", t.name);
    } else {
      assert.equal(cpaceInitiatorFinish(share, sid, fromHex(t.u)).length, 64, t.name);
    }
  }
  assert.equal(aborts, 7);
  // The draft's embedded table lists the same 12 inputs, in the same order.
  assert.deepEqual(v.tests.map((t: any) => t.u), Object.values(embedded).map((u: any) => u.toLowerCase()));
});

test("cpace: our Elligator2 x-map equals noble's RFC 9380 map (independent implementations)", () => {
  const P = 2n ** 255n - 19n;
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: P - 1n }), (u) => {
    const r = _map_to_curve_elligator2_curve25519(u);
    return elligator2Curve25519(u) === mod(r.xMn * invert(r.xMd, P), P);
  }), { numRuns: 200 });
});

test("cpace: different codes give different ISKs; the same code the same ISK", () => {
  const ci = ascii("firstlight/1 pairing");
  const sid = fromHex("00112233445566778899aabbccddeeff");
  const A = cpaceShare({ prs: ascii("20202021"), ci, sid });
  const Ya = A.Y.slice();
  const right = cpaceRespond({ prs: ascii("20202021"), ci, sid }, Ya);
  assert.equal(toHex(cpaceInitiatorFinish({ y: A.y.slice(), Y: Ya }, sid, right.Yb)), toHex(right.isk));
  const wrong = cpaceRespond({ prs: ascii("20202022"), ci, sid }, Ya);
  assert.notEqual(toHex(cpaceInitiatorFinish(A, sid, wrong.Yb)), toHex(wrong.isk));
});
