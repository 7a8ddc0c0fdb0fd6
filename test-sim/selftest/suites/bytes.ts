/** Byte helpers: hex, UTF-8 (RFC 3629 strictness), constant-time equality, wipe. */
import type { Check } from "../runner";
import { view } from "../../../firmware/crypto/bytes";

interface Utf8Case { s: string; hex: string }
interface Data { utf8: Utf8Case[]; badUtf8: string[] }

export function run(fl: any, data: Data, t: Check): void {
  var c = fl.crypto;
  for (var i = 0; i < data.utf8.length; i++) {
    var v = data.utf8[i];
    t.eqHex(c.utf8Encode(v.s), v.hex, "utf8Encode " + v.hex);
    t.ok(c.utf8Decode(c.fromHex(v.hex)) === v.s, "utf8Decode " + v.hex);
  }
  for (var i = 0; i < data.badUtf8.length; i++) {
    var bad = data.badUtf8[i];
    t.throwsCode(function () { return c.utf8Decode(c.fromHex(bad)); }, "CRYPTO_BAD_INPUT", "rejects UTF-8 " + bad);
  }
  t.eqHex(c.fromHex("00FFa5"), "00ffa5", "fromHex accepts upper case");
  t.throwsCode(function () { return c.fromHex("abc"); }, "CRYPTO_BAD_INPUT", "fromHex odd length");
  t.throwsCode(function () { return c.fromHex("zz"); }, "CRYPTO_BAD_INPUT", "fromHex non-hex");
  var a: Uint8Array = c.fromHex("0102030405"), b: Uint8Array = c.fromHex("0102030405");
  t.ok(c.ctEqual(a, b), "ctEqual equal");
  b[4] = 4;
  t.ok(c.ctEqual(a, b) === false, "ctEqual last byte differs");
  t.ok(c.ctEqual(a, view(b, 0, 4)) === false, "ctEqual length differs");
  c.wipe(a);
  t.eqHex(a, "0000000000", "wipe zeroes");
  // view: the only bounds-checked way to take a subarray (Espruino does not clamp `end`).
  var four = c.fromHex("01020304");
  t.eqHex(view(four, 1, 3), "0203", "view middle");
  t.eqHex(view(four, 2), "0304", "view to the end");
  t.eqHex(view(four, 4, 4), "", "view empty at the end");
  t.throwsCode(function () { return view(four, 2, 100); }, "CRYPTO_BAD_INPUT", "view refuses an end past the length");
  t.throwsCode(function () { return view(four, 5); }, "CRYPTO_BAD_INPUT", "view refuses a begin past the length");
  t.throwsCode(function () { return view(four, -1, 2); }, "CRYPTO_BAD_INPUT", "view refuses a negative begin");
  t.throwsCode(function () { return view(four, 3, 1); }, "CRYPTO_BAD_INPUT", "view refuses end < begin");
  // One UTF-16 unit on JavaScript; on Lua a string is its UTF-8 bytes (docs/engines.md, The Lua contract).
  var euro: string = c.utf8Decode(c.fromHex("e282ac"));
  t.ok(euro.length === 1 ? euro.charCodeAt(0) === 0x20ac : euro === "\u20ac", "utf8Decode e282ac is U+20AC");
  t.ok(c.utf8Decode(c.fromHex("225c0a")) === "\"\\\n", "utf8Decode of quote, backslash, newline");
  t.eqHex(c.concatBytes([c.fromHex("01"), new Uint8Array(0), c.fromHex("0203")]), "010203", "concatBytes");
}
