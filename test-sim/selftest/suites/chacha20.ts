/** ChaCha20 (RFC 8439 §2.3–2.4) on the built image: block function, encryption, counter limits. */
import type { Check } from "../runner";

interface BlockCase { key: string; nonce: string; counter: number; out: string }
interface EncryptCase { key: string; nonce: string; counter: number; pt: string; ct: string }
interface Data { block: BlockCase[]; encrypt: EncryptCase[] }

export function run(fl: any, data: Data, t: Check): void {
  var c = fl.crypto, h = c.fromHex, i: number;
  for (i = 0; i < data.block.length; i++) {
    var b = data.block[i];
    t.eqHex(c.chacha20Block(h(b.key), h(b.nonce), b.counter), b.out, "chacha20Block #" + i);
  }
  for (i = 0; i < data.encrypt.length; i++) {
    var e = data.encrypt[i], key = h(e.key), nonce = h(e.nonce);
    t.eqHex(c.chacha20Xor(key, nonce, e.counter, h(e.pt)), e.ct, "chacha20Xor encrypt #" + i);
    t.eqHex(c.chacha20Xor(key, nonce, e.counter, h(e.ct)), e.pt, "chacha20Xor decrypt #" + i);
  }
  if (!t.first) return; // one-off checks: on the first piece only
  var k = new Uint8Array(32), n = new Uint8Array(12);
  t.eqHex(c.chacha20Xor(k, n, 0, new Uint8Array(0)), "", "empty input");
  // The last block the 32-bit counter allows is 2^32 − 1; one byte more must be refused.
  var last = c.chacha20Block(k, n, 0xffffffff);
  t.eqHex(c.chacha20Xor(k, n, 0xffffffff, new Uint8Array(64)), c.toHex(last), "counter 2^32-1, one block");
  t.throwsCode(function () { return c.chacha20Xor(k, n, 0xffffffff, new Uint8Array(65)); }, "CRYPTO_BAD_INPUT", "counter overflow");
  t.throwsCode(function () { return c.chacha20Xor(k, n, 0xfffffffe, new Uint8Array(129)); }, "CRYPTO_BAD_INPUT", "counter overflow after two blocks");
  t.throwsCode(function () { return c.chacha20Block(k, n, 4294967296); }, "CRYPTO_BAD_INPUT", "counter 2^32");
  t.throwsCode(function () { return c.chacha20Block(k, n, -1); }, "CRYPTO_BAD_INPUT", "negative counter");
  t.throwsCode(function () { return c.chacha20Block(k, n, 1.5); }, "CRYPTO_BAD_INPUT", "fractional counter");
  t.throwsCode(function () { return c.chacha20Block(new Uint8Array(31), n, 0); }, "CRYPTO_BAD_INPUT", "31-byte key");
  t.throwsCode(function () { return c.chacha20Xor(k, new Uint8Array(8), 0, k); }, "CRYPTO_BAD_INPUT", "8-byte nonce");
  t.throwsCode(function () { return c.chacha20Xor(k, n, 0, [1, 2, 3]); }, "CRYPTO_BAD_INPUT", "input not a Uint8Array");
}
