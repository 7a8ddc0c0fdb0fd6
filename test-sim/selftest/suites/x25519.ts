/** X25519 (RFC 7748) on the built image: all 518 Wycheproof tests (or the loader's sample). */
import type { Check } from "../runner";

/** [tcId, zero shared secret (1) or not (0), private, public, shared] */
type Case = [number, number, string, string, string];

/** `expect` (first piece only): how many tests, and zero-secret tests, the pieces carry in all. */
export function run(fl: any, data: { tests: Case[]; expect: { tests: number; zeros: number } }, t: Check): void {
  var c = fl.crypto, h = c.fromHex, s = t.state;
  if (t.first) { s.seen = 0; s.zeros = 0; s.expect = data.expect; }
  s.seen += data.tests.length;
  for (var i = 0; i < data.tests.length; i++) {
    var v = data.tests[i], id = "Wycheproof tcId " + v[0], k = h(v[2]), u = h(v[3]);
    t.eqHex(c.x25519(k, u), v[4], id);
    if (v[1] === 1) {
      s.zeros++;
      t.throwsCode(function () { return c.x25519Shared(k, u); }, "CRYPTO_ZERO_SHARED", id + " x25519Shared refuses the zero secret");
    }
  }
  if (t.last) t.ok(s.seen === s.expect.tests && s.zeros === s.expect.zeros, "all " + s.expect.tests + " tests, " + s.expect.zeros + " with a zero shared secret");
}
