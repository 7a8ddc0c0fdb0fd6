/** Poly1305 (RFC 8439 §2.5) and its key generation (§2.6) on the built image. */
import type { Check } from "../runner";
import { view } from "../../../firmware/crypto/bytes";

interface MacCase { key: string; msg: string; tag: string }
interface KeyGenCase { key: string; nonce: string; otk: string }
interface Data { mac: MacCase[]; keyGen: KeyGenCase[] }

export function run(fl: any, data: Data, t: Check): void {
  var c = fl.crypto, h = c.fromHex, i: number, j: number;
  for (i = 0; i < data.mac.length; i++) {
    var v = data.mac[i], key = h(v.key), msg = h(v.msg);
    t.eqHex(c.poly1305(key, msg), v.tag, "poly1305 #" + i);
    // Streaming with uneven pieces must give the same tag.
    var steps = [1, 15, 16, 17, 3];
    var p = new c.Poly1305(key), off = 0;
    for (j = 0; off < msg.length; j++) {
      var end = Math.min(msg.length, off + steps[j % steps.length]);
      p.update(view(msg, off, end));
      off = end;
    }
    t.eqHex(p.digest(), v.tag, "Poly1305 streaming #" + i);
  }
  for (i = 0; i < data.keyGen.length; i++) {
    var g = data.keyGen[i];
    t.eqHex(view(c.chacha20Block(h(g.key), h(g.nonce), 0), 0, 32), g.otk, "poly1305 key generation #" + i);
  }
  if (!t.first) return; // one-off checks: on the first piece only
  var done = new c.Poly1305(new Uint8Array(32));
  done.digest();
  t.throwsCode(function () { return done.digest(); }, "CRYPTO_BAD_INPUT", "digest twice");
  t.throwsCode(function () { return done.update(new Uint8Array(1)); }, "CRYPTO_BAD_INPUT", "update after digest");
  t.throwsCode(function () { return c.poly1305(new Uint8Array(16), new Uint8Array(0)); }, "CRYPTO_BAD_INPUT", "16-byte key");
  t.throwsCode(function () { return c.poly1305(new Uint8Array(32), "abc"); }, "CRYPTO_BAD_INPUT", "message not a Uint8Array");
}
