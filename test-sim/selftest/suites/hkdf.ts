/**
 * HKDF-SHA-256/512: RFC 5869 (PRK and OKM), Wycheproof (oversized lengths must throw; OKMs over
 * 1 KB arrive as their SHA-256, see the loader; OKMs longer than an engine can hold, block by
 * block), argument errors.
 */
import type { Check } from "../runner";
import { view } from "../../../firmware/crypto/bytes";

/** `okmBytes`: the longest output a check may build whole (first piece only). */
interface Data { rfc5869: any[][]; sha256: any[][]; sha512: any[][]; okmBytes: number }

/** The image's HKDF for one hash: its one-call form, Extract, Expand, the HMAC class and HashLen. */
interface Kdf { name: string; hkdf: (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, l: number) => Uint8Array; extract: any; expand: any; Hmac: any; hashLen: number }

/**
 * An output too long to hold, checked one block at a time: Expand's loop of RFC 5869 §2.3 run here
 * over the image's Extract and HMAC (T(i) = HMAC(PRK, T(i-1) | info | i)), each block fed to a
 * SHA-256 that must give the vector's digest; and the image's own Expand of the first `w.blocks`
 * bytes (what the engine holds) must be those blocks.
 */
function blockwise(c: any, t: Check, k: Kdf, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, size: number, w: { sha256: string; blocks: number }, label: string): void {
  var prk = k.extract(salt, ikm), pre = k.expand(prk, info, Math.min(w.blocks, size)), d = new c.Sha256();
  var prev = new Uint8Array(0), ctr = new Uint8Array(1), n = 0, same = true;
  for (var i = 1; n < size; i++) {
    ctr[0] = i;
    var b = new k.Hmac(prk).update(prev).update(info).update(ctr).digest(), take = Math.min(k.hashLen, size - n), m = Math.min(take, pre.length - n);
    d.update(view(b, 0, take));
    if (m > 0) same = c.ctEqual(view(b, 0, m), view(pre, n, n + m)) === true && same;
    n += take;
    prev = b;
  }
  t.eqHex(d.digest(), w.sha256, label + " (" + size + " bytes, expanded block by block over the image's HMAC, compared by SHA-256)");
  t.ok(same, label + ": the image's Expand of the first " + pre.length + " bytes gives the same blocks");
}

function wycheproof(c: any, t: Check, k: Kdf, tests: any[][]): void {
  var name = k.name, kdf = k.hkdf;
  for (var i = 0; i < tests.length; i++) {
    var v = tests[i], ikm = c.fromHex(v[0]), salt = c.fromHex(v[1]), info = c.fromHex(v[2]), size = v[3];
    if (v.length === 5 && typeof v[4] === "string") t.eqHex(kdf(ikm, salt, info, size), v[4], name + " Wycheproof #" + i + " (" + size + " bytes)");
    else if (v.length === 5 && v[4].blocks !== undefined) blockwise(c, t, k, ikm, salt, info, size, v[4], name + " Wycheproof #" + i);
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
  wycheproof(c, t, { name: "HKDF-SHA-256", hkdf: c.hkdfSha256, extract: c.hkdfSha256Extract, expand: c.hkdfSha256Expand, Hmac: c.HmacSha256, hashLen: 32 }, data.sha256);
  wycheproof(c, t, { name: "HKDF-SHA-512", hkdf: c.hkdfSha512, extract: c.hkdfSha512Extract, expand: c.hkdfSha512Expand, Hmac: c.HmacSha512, hashLen: 64 }, data.sha512);

  if (!t.first) return; // one-off checks: on the first piece only
  var k32 = new Uint8Array(32), k64 = new Uint8Array(64), e = new Uint8Array(0);
  t.eqHex(c.hkdfSha256Extract(e, k32), c.toHex(c.hkdfSha256Extract(k32, k32)), "empty salt = 32 zero bytes");
  t.eqHex(c.hkdfSha512Extract(e, k32), c.toHex(c.hkdfSha512Extract(k64, k32)), "empty salt = 64 zero bytes");
  t.ok(c.hkdfSha256Expand(k32, e, 0).length === 0, "length 0 gives an empty key");
  // Only where the engine holds such an output (data.okmBytes): 8 160 bytes fit the 2 500-variable Espruino, 16 320 do not.
  if (data.okmBytes >= 8160) t.ok(c.hkdfSha256Expand(k32, e, 8160).length === 8160, "length 255*32 is allowed");
  if (data.okmBytes >= 16320) t.ok(c.hkdfSha512Expand(k64, e, 16320).length === 16320, "length 255*64 is allowed");
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
