/** HMAC-SHA-256/512: RFC 4231, Wycheproof (truncated tags; invalid tags must not match), streaming, misuse. */
import type { Check } from "../runner";
import { view } from "../../../firmware/crypto/bytes";

interface Data { rfc4231: [string, string, string, string, number][]; sha256: any[][]; sha512: any[][] }

/** Runs one Wycheproof file: a tag of fewer bytes than the MAC is compared with the MAC's prefix. */
function wycheproof(c: any, t: Check, name: string, mac: (k: Uint8Array, m: Uint8Array) => Uint8Array, Stream: any, tests: any[][], base: number): void {
  for (var i = 0; i < tests.length; i++) {
    var v = tests[i], key = c.fromHex(v[0]), msg = c.fromHex(v[1]), tag = c.fromHex(v[2]);
    var full = mac(key, msg), got = view(full, 0, tag.length);
    if (v[3] === 1) t.eqHex(got, v[2], name + " Wycheproof #" + i + " valid");
    else t.ok(c.ctEqual(got, tag) === false, name + " Wycheproof #" + i + " invalid tag rejected");
    if ((base + i) % 8 === 0) {
      // Streaming, in two uneven pieces, must give the same full MAC.
      var h = new Stream(key), cut = (msg.length * 3) >> 3;
      h.update(view(msg, 0, cut)).update(view(msg, cut));
      t.ok(c.ctEqual(h.digest(), full), name + " Wycheproof #" + i + " streamed");
    }
  }
}

export function run(fl: any, data: Data, t: Check): void {
  var c = fl.crypto, i;
  for (i = 0; i < data.rfc4231.length; i++) {
    var v = data.rfc4231[i], key = c.fromHex(v[0]), msg = c.fromHex(v[1]), tc = "RFC 4231 TC" + v[4];
    t.eqHex(view(c.hmacSha256(key, msg), 0, v[2].length / 2), v[2], tc + " SHA-256");
    t.eqHex(view(c.hmacSha512(key, msg), 0, v[3].length / 2), v[3], tc + " SHA-512");
    var h = new c.HmacSha256(key);
    for (var p = 0; p < msg.length; p += 5) h.update(view(msg, p, Math.min(p + 5, msg.length)));
    t.eqHex(view(h.digest(), 0, v[2].length / 2), v[2], tc + " SHA-256 streamed in 5-byte pieces");
    var h5 = new c.HmacSha512(key);
    for (var q = 0; q < msg.length; q += 7) h5.update(view(msg, q, Math.min(q + 7, msg.length)));
    t.eqHex(view(h5.digest(), 0, v[3].length / 2), v[3], tc + " SHA-512 streamed in 7-byte pieces");
  }
  wycheproof(c, t, "HMAC-SHA-256", c.hmacSha256, c.HmacSha256, data.sha256, t.base.sha256 !== undefined ? t.base.sha256 : 0);
  wycheproof(c, t, "HMAC-SHA-512", c.hmacSha512, c.HmacSha512, data.sha512, t.base.sha512 !== undefined ? t.base.sha512 : 0);

  if (!t.first) return; // one-off checks: on the first piece only
  var k = new Uint8Array(32), m = new Uint8Array(3);
  t.throwsCode(function () { c.hmacSha256("key", m); }, "CRYPTO_BAD_INPUT", "string key");
  t.throwsCode(function () { c.hmacSha512(k, [1, 2, 3]); }, "CRYPTO_BAD_INPUT", "array message");
  t.throwsCode(function () { return new c.HmacSha256(null); }, "CRYPTO_BAD_INPUT", "null key");
  var d = new c.HmacSha256(k);
  d.update(m);
  t.ok(d.digest().length === 32, "HmacSha256 digest is 32 bytes");
  t.throwsCode(function () { d.update(m); }, "CRYPTO_BAD_STATE", "update after digest");
  t.throwsCode(function () { d.digest(); }, "CRYPTO_BAD_STATE", "digest twice");
  t.ok(new c.HmacSha512(k).digest().length === 64, "HmacSha512 digest is 64 bytes");
}
