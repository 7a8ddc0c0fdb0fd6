/** ChaCha20-Poly1305 AEAD (RFC 8439 §2.8) on the built image: RFC vectors and all of Wycheproof. */
import type { Check } from "../runner";

interface RfcCase { key: string; nonce: string; aad: string; pt: string; sealed: string }
/** [tcId, valid (1) or invalid (0), key, nonce, aad, msg, ct ‖ tag] */
type WycheproofCase = [number, number, string, string, string, string, string];
interface Data { rfc: RfcCase[]; wycheproof: WycheproofCase[] }

export function run(fl: any, data: Data, t: Check): void {
  var c = fl.crypto, h = c.fromHex, i: number;
  for (i = 0; i < data.rfc.length; i++) {
    var v = data.rfc[i];
    t.eqHex(c.aeadSeal(h(v.key), h(v.nonce), h(v.pt), h(v.aad)), v.sealed, "RFC 8439 seal #" + i);
    t.eqHex(c.aeadOpen(h(v.key), h(v.nonce), h(v.sealed), h(v.aad)), v.pt, "RFC 8439 open #" + i);
  }
  for (i = 0; i < data.wycheproof.length; i++) wycheproof(c, data.wycheproof[i], t);

  if (!t.first) return; // one-off checks: on the first piece only
  var k = new Uint8Array(32), n = new Uint8Array(12), sealed = c.aeadSeal(k, n, new Uint8Array(3));
  t.eqHex(c.aeadOpen(k, n, sealed), "000000", "aad omitted = empty aad");
  t.eqHex(c.aeadOpen(k, n, sealed, new Uint8Array(0)), "000000", "empty aad");
  t.ok(c.aeadOpen(k, n, sealed, new Uint8Array(1)) === null, "wrong aad");
  t.throwsCode(function () { return c.aeadOpen(k, n, new Uint8Array(15)); }, "CRYPTO_BAD_INPUT", "sealed shorter than the tag");
  t.throwsCode(function () { return c.aeadSeal(new Uint8Array(16), n, k); }, "CRYPTO_BAD_INPUT", "16-byte key");
  t.throwsCode(function () { return c.aeadSeal(k, n, k, "aad"); }, "CRYPTO_BAD_INPUT", "aad not a Uint8Array");
}

function wycheproof(c: any, w: WycheproofCase, t: Check): void {
  var h = c.fromHex, id = "Wycheproof tcId " + w[0];
  var key = h(w[2]), nonce = h(w[3]), aad = h(w[4]), msg = h(w[5]), sealed = h(w[6]);
  if (nonce.length !== 12) {
    // Only 96-bit nonces are ChaCha20-Poly1305 (RFC 8439 §2.8); other sizes are refused outright.
    t.throwsCode(function () { return c.aeadSeal(key, nonce, msg, aad); }, "CRYPTO_BAD_INPUT", id + " seal refuses the nonce");
    t.throwsCode(function () { return c.aeadOpen(key, nonce, sealed, aad); }, "CRYPTO_BAD_INPUT", id + " open refuses the nonce");
  } else if (w[1] === 1) {
    t.eqHex(c.aeadSeal(key, nonce, msg, aad), w[6], id + " seal");
    t.eqHex(c.aeadOpen(key, nonce, sealed, aad), w[5], id + " open");
  } else {
    t.ok(c.aeadOpen(key, nonce, sealed, aad) === null, id + " open rejects");
  }
}
