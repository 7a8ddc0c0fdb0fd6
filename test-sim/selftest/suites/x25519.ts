/** X25519 (RFC 7748) on the built image: all 518 Wycheproof tests. */
import type { Check } from "../runner";

/** [tcId, zero shared secret (1) or not (0), private, public, shared] */
type Case = [number, number, string, string, string];

/** Tests and zero-secret tests seen over the pieces of one run. */
var seen = 0, zeros = 0;

export function run(fl: any, data: { tests: Case[] }, t: Check): void {
  var c = fl.crypto, h = c.fromHex;
  if (t.first) { seen = 0; zeros = 0; }
  seen += data.tests.length;
  for (var i = 0; i < data.tests.length; i++) {
    var v = data.tests[i], id = "Wycheproof tcId " + v[0], k = h(v[2]), u = h(v[3]);
    t.eqHex(c.x25519(k, u), v[4], id);
    if (v[1] === 1) {
      zeros++;
      t.throwsCode(function () { return c.x25519Shared(k, u); }, "CRYPTO_ZERO_SHARED", id + " x25519Shared refuses the zero secret");
    }
  }
  if (t.last) t.ok(seen === 518 && zeros === 31, "all 518 tests, 31 with a zero shared secret");
}
