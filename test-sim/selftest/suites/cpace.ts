/**
 * CPace (firstlight.protocol.cpace), draft-irtf-cfrg-cpace-21 CPACE-X25519-SHA512: every embedded
 * vector of the draft — generator string, its hash, the decoded field element, g; prepend_len,
 * lv_cat, lexiographically_larger, o_cat, transcript_ir, transcript_oc; the protocol run (Ya, Yb,
 * K, ISK_IR, ISK_SY, both sid outputs) through the CPace object in all three roles; and
 * scalar_mult_vfy on the 12 low-order inputs, with the abort of a run for each one that must abort.
 */
import type { Check } from "../runner";
import { view } from "../../../firmware/crypto/bytes";

interface Data {
  generator: { prs: string; ci: string; sid: string; dsi: string; zpad: number; str: string; hash: string; field: string; g: string };
  prependLen: string[][];
  lvCat: { parts: string[]; out: string };
  oCat: string[][];
  larger: any[][];
  transcriptIr: string[][];
  transcriptOc: string[][];
  run: { [k: string]: string };
  vfy: { name: string; s: string; u: string; q: string; a: boolean }[];
  invalidY: string[];
}

export function run(fl: any, d: Data, t: Check): void {
  var C = fl.protocol.cpace, c = fl.crypto, h = c.fromHex, i: number;
  var g = d.generator;

  // Generator (§4 and §4.1).
  var gs = C.generatorString(h(g.dsi), h(g.prs), h(g.ci), h(g.sid), 128);
  t.eqHex(gs, g.str, "generator_string (ZPAD " + g.zpad + ")");
  t.eqHex(view(c.sha512(gs), 0, 32), g.hash, "hash generator string (first 32 bytes of SHA-512)");
  var field: Uint8Array = h(g.hash);
  field[31] &= 0x7f;
  t.eqHex(field, g.field, "decoded field element of 255 bits");
  t.eqHex(C.elligator2(h(g.hash)), g.g, "Elligator2 of the hash = g");
  t.eqHex(C.calculateGenerator(h(g.prs), h(g.ci), h(g.sid)), g.g, "calculate_generator");
  t.eqHex(C.DSI, g.dsi, "DSI = CPace255");

  // Encodings (Appendix A test vectors).
  for (i = 0; i < d.prependLen.length; i++) t.eqHex(C.prependLen(h(d.prependLen[i][0])), d.prependLen[i][1], "prepend_len #" + i);
  var parts = [];
  for (i = 0; i < d.lvCat.parts.length; i++) parts.push(h(d.lvCat.parts[i]));
  t.eqHex(C.lvCat(parts), d.lvCat.out, "lv_cat");
  var split: Uint8Array[] = C.lvSplit(h(d.lvCat.out), 4);
  for (i = 0; i < 4; i++) t.eqHex(split[i], d.lvCat.parts[i], "lv_cat parsed back, field " + i);
  t.throwsCode(function () { C.lvSplit(h(d.lvCat.out), 3); }, "PROTO_BAD_LENGTH", "lv-encoded message with trailing bytes");
  t.throwsCode(function () { C.lvSplit(h(d.lvCat.out), 5); }, "PROTO_BAD_LENGTH", "lv-encoded message missing a field");
  t.throwsCode(function () { C.lvSplit(h("05313233"), 1); }, "PROTO_BAD_LENGTH", "length prefix past the end");
  for (i = 0; i < d.larger.length; i++)
    t.ok(C.lexiographicallyLarger(h(d.larger[i][0]), h(d.larger[i][1])) === d.larger[i][2], "lexiographically_larger #" + i);
  for (i = 0; i < d.oCat.length; i++) t.eqHex(C.oCat(h(d.oCat[i][0]), h(d.oCat[i][1])), d.oCat[i][2], "o_cat #" + i);
  for (i = 0; i < d.transcriptIr.length; i++) {
    var a = d.transcriptIr[i], b = d.transcriptOc[i];
    t.eqHex(C.transcriptIr(h(a[0]), h(a[1]), h(a[2]), h(a[3])), a[4], "transcript_ir #" + i);
    t.eqHex(C.transcriptOc(h(b[0]), h(b[1]), h(b[2]), h(b[3])), b[4], "transcript_oc #" + i);
  }

  // The protocol run (Appendix B.1), through the CPace object, in each role.
  var r = d.run;
  function party(role: string, ad: string, y: string): any {
    return new C.CPace({ role: role, prs: h(r.PRS), ci: h(r.CI), sid: h(r.sid), ad: h(ad), random: function () { return h(y); } });
  }
  var A = party("initiator", r.ADa, r.ya), B = party("responder", r.ADb, r.yb);
  t.eqHex(A.Y, r.Ya, "Ya = scalar_mult(ya, g)");
  t.eqHex(B.Y, r.Yb, "Yb = scalar_mult(yb, g)");
  t.eqHex(C.scalarMultVfy(h(r.ya), h(r.Yb)), r.K, "K = scalar_mult_vfy(ya, Yb)");
  t.eqHex(C.scalarMultVfy(h(r.yb), h(r.Ya)), r.K, "K = scalar_mult_vfy(yb, Ya)");
  t.eqHex(A.deriveIsk(B.Y, B.ad), r.ISK_IR, "ISK_IR at the initiator");
  t.eqHex(B.deriveIsk(A.Y, A.ad), r.ISK_IR, "ISK_IR at the responder");
  t.eqHex(A.sidOutput(), r.sid_output_ir, "sid output (initiator-responder)");
  t.eqHex(B.sidOutput(), r.sid_output_ir, "sid output at the responder");
  t.throwsCode(function () { A.deriveIsk(B.Y, B.ad); }, "PROTO_BAD_STATE", "a CPace object is single-use");
  var SA = party("symmetric", r.ADa, r.ya), SB = party("symmetric", r.ADb, r.yb);
  t.eqHex(SA.deriveIsk(SB.Y, SB.ad), r.ISK_SY, "ISK_SY (ordered concatenation), side A");
  t.eqHex(SB.deriveIsk(SA.Y, SA.ad), r.ISK_SY, "ISK_SY (ordered concatenation), side B");
  t.eqHex(SA.sidOutput(), r.sid_output_oc, "sid output (ordered concatenation)");

  // scalar_mult_vfy on low-order and non-canonical u (Appendix B.1.10), and the abort in a run.
  for (i = 0; i < d.vfy.length; i++) {
    var v = d.vfy[i];
    t.eqHex(C.scalarMultVfy(h(v.s), h(v.u)), v.q, "scalar_mult_vfy(s, " + v.name + ")");
    var P = party("responder", r.ADb, r.yb);
    if (v.a) t.throwsCode(function () { P.deriveIsk(h(v.u), h(r.ADa)); }, "PROTO_BAD_SHARE", "run aborts on " + v.name);
    else t.ok(P.deriveIsk(h(v.u), h(r.ADa)).length === 64, "run continues on " + v.name + " (bit 255 cleared: not low order)");
  }
  for (i = 0; i < d.invalidY.length; i++) t.eqHex(h(d.invalidY[i]), d.vfy[i].u, "invalid Y" + i + " = u" + i);
  var Q = party("initiator", r.ADa, r.ya);
  t.throwsCode(function () { Q.deriveIsk(view(h(r.Yb), 0, 31), h(r.ADb)); }, "PROTO_BAD_LENGTH", "a 31-byte share");
}
