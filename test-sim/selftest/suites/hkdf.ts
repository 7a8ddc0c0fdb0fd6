/**
 * HKDF-SHA-256/512: RFC 5869 (PRK and OKM), Wycheproof (oversized lengths must throw; OKMs over
 * 1 KB arrive as their SHA-256, see the loader), argument errors.
 */
import type { Check } from "../runner";

interface Data { rfc5869: any[][]; sha256: any[][]; sha512: any[][] }

function wycheproof(c: any, t: Check, name: string, kdf: (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, l: number) => Uint8Array, tests: any[][]): void {
  for (var i = 0; i < tests.length; i++) {
    var v = tests[i], ikm = c.fromHex(v[0]), salt = c.fromHex(v[1]), info = c.fromHex(v[2]), size = v[3];
    if (v.length === 5 && typeof v[4] === "string") t.eqHex(kdf(ikm, salt, info, size), v[4], name + " Wycheproof #" + i + " (" + size + " bytes)");
    else if (v.length === 5) t.eqHex(c.sha256(kdf(ikm, salt, info, size)), v[4].sha256, name + " Wycheproof #" + i + " (" + size + " bytes, compared by SHA-256)");
    else t.throwsCode(function () { return kdf(ikm, salt, info, size); }, "CRYPTO_BAD_INPUT", name + " Wycheproof #" + i + " invalid size " + size);
  }
}

export function run(fl: any, data: Data, t: Check): void {
  var c = fl.crypto, i;
  for (i = 0; i < data.rfc5869.length; i++) {
    var v = data.rfc5869[i], ikm = c.fromHex(v[0]), salt = c.fromHex(v[1]), info = c.fromHex(v[2]);
    var prk = c.hkdfSha256Extract(salt, ikm);
    t.eqHex(prk, v[4], "RFC 5869 A." + (i + 1) + " PRK");
    t.eqHex(c.hkdfSha256Expand(prk, info, v[3]), v[5], "RFC 5869 A." + (i + 1) + " OKM (Expand)");
    t.eqHex(c.hkdfSha256(ikm, salt, info, v[3]), v[5], "RFC 5869 A." + (i + 1) + " OKM (one call)");
  }
  wycheproof(c, t, "HKDF-SHA-256", c.hkdfSha256, data.sha256);
  wycheproof(c, t, "HKDF-SHA-512", c.hkdfSha512, data.sha512);

  if (!t.first) return; // one-off checks: on the first piece only
  var k32 = new Uint8Array(32), k64 = new Uint8Array(64), e = new Uint8Array(0);
  t.eqHex(c.hkdfSha256Extract(e, k32), c.toHex(c.hkdfSha256Extract(k32, k32)), "empty salt = 32 zero bytes");
  t.eqHex(c.hkdfSha512Extract(e, k32), c.toHex(c.hkdfSha512Extract(k64, k32)), "empty salt = 64 zero bytes");
  t.ok(c.hkdfSha256Expand(k32, e, 0).length === 0, "length 0 gives an empty key");
  t.ok(c.hkdfSha256Expand(k32, e, 8160).length === 8160, "length 255*32 is allowed");
  t.ok(c.hkdfSha512Expand(k64, e, 16320).length === 16320, "length 255*64 is allowed");
  t.throwsCode(function () { return c.hkdfSha256Expand(k32, e, 8161); }, "CRYPTO_BAD_INPUT", "SHA-256 length 8161");
  t.throwsCode(function () { return c.hkdfSha512Expand(k64, e, 16321); }, "CRYPTO_BAD_INPUT", "SHA-512 length 16321");
  t.throwsCode(function () { return c.hkdfSha256Expand(k32, e, -1); }, "CRYPTO_BAD_INPUT", "negative length");
  t.throwsCode(function () { return c.hkdfSha256Expand(k32, e, 1.5); }, "CRYPTO_BAD_INPUT", "fractional length");
  t.throwsCode(function () { return c.hkdfSha256Expand(k32, e, "32"); }, "CRYPTO_BAD_INPUT", "string length");
  t.throwsCode(function () { return c.hkdfSha256Expand(new Uint8Array(31), e, 32); }, "CRYPTO_BAD_INPUT", "PRK shorter than HashLen");
  t.throwsCode(function () { return c.hkdfSha512Expand(k32, e, 32); }, "CRYPTO_BAD_INPUT", "SHA-512 PRK shorter than HashLen");
  t.throwsCode(function () { return c.hkdfSha256(k32, null, e, 32); }, "CRYPTO_BAD_INPUT", "null salt");
  t.throwsCode(function () { return c.hkdfSha256Extract(e, "ikm"); }, "CRYPTO_BAD_INPUT", "string ikm");
  t.throwsCode(function () { return c.hkdfSha512(k32, e, [1], 32); }, "CRYPTO_BAD_INPUT", "array info");
}
