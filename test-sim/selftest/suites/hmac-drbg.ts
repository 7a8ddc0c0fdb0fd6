/** HMAC_DRBG SHA-256 (SP 800-90A §10.1.2): all 480 NIST CAVP vectors, intermediate V/Key, and every error code. */
import type { Check } from "../runner";

interface Data { prFalse: string[][]; prTrue: string[][] }

export function run(fl: any, data: Data, t: Check): void {
  var E = fl.entropy, h = fl.crypto.fromHex, i: number, v: string[], d: any, st: any;
  for (i = 0; i < data.prFalse.length; i++) {
    v = data.prFalse[i];
    d = new E.HmacDrbg();
    d.instantiate(h(v[0]), h(v[1]), h(v[2]));
    d.reseed(h(v[3]), h(v[4]));
    d.generate(128, h(v[5]));
    t.eqHex(d.generate(128, h(v[6])), v[7], "pr_false #" + i + " ReturnedBits");
  }
  for (i = 0; i < data.prTrue.length; i++) {
    v = data.prTrue[i];
    var queue = [v[6], v[10]];
    d = new E.HmacDrbg(function () { return h(queue.shift() as string); });
    d.instantiate(h(v[0]), h(v[1]), h(v[2]));
    st = E.drbgInternalState(d);
    t.ok(fl.crypto.toHex(st.V) === v[3] && fl.crypto.toHex(st.Key) === v[4], "pr_true #" + i + " V/Key after instantiate");
    d.generate(128, h(v[5]), true);
    st = E.drbgInternalState(d);
    t.ok(fl.crypto.toHex(st.V) === v[7] && fl.crypto.toHex(st.Key) === v[8], "pr_true #" + i + " V/Key after generate 1");
    t.eqHex(d.generate(128, h(v[9]), true), v[11], "pr_true #" + i + " ReturnedBits");
    st = E.drbgInternalState(d);
    t.ok(fl.crypto.toHex(st.V) === v[12] && fl.crypto.toHex(st.Key) === v[13], "pr_true #" + i + " V/Key after generate 2");
  }

  if (!t.first) return; // one-off checks: on the first piece only
  var seed = new Uint8Array(32), nonce = new Uint8Array(16);
  d = new E.HmacDrbg();
  t.throwsCode(function () { return d.generate(32); }, "ENTROPY_DRBG_UNINSTANTIATED", "generate before instantiate");
  t.throwsCode(function () { d.reseed(seed); }, "ENTROPY_DRBG_UNINSTANTIATED", "reseed before instantiate");
  t.throwsCode(function () { d.instantiate(new Uint8Array(31), nonce); }, "ENTROPY_SEED_TOO_SHORT", "entropy input < 32 bytes");
  t.throwsCode(function () { d.instantiate(seed, new Uint8Array(15)); }, "ENTROPY_SEED_TOO_SHORT", "nonce < 16 bytes");
  t.throwsCode(function () { d.instantiate(seed, nonce, new Uint8Array(1025)); }, "ENTROPY_BAD_INPUT", "personalization > 1024 bytes");
  t.throwsCode(function () { d.instantiate("00", nonce); }, "CRYPTO_BAD_INPUT", "entropy input not bytes");
  d.instantiate(seed, nonce);
  t.throwsCode(function () { return d.generate(0); }, "ENTROPY_BAD_REQUEST", "0-byte request");
  t.throwsCode(function () { return d.generate(1025); }, "ENTROPY_BAD_REQUEST", "1025-byte request");
  t.throwsCode(function () { return d.generate(1.5); }, "ENTROPY_BAD_REQUEST", "fractional request");
  t.ok(d.generate(1024).length === 1024, "1024-byte request");
  t.throwsCode(function () { return d.generate(32, null, true); }, "ENTROPY_PR_UNAVAILABLE", "prediction resistance without a source");
  d.uninstantiate();
  st = E.drbgInternalState(d);
  t.ok(st.V === null && st.Key === null && d.instantiated() === false, "uninstantiate drops the state");
  t.throwsCode(function () { return d.generate(32); }, "ENTROPY_DRBG_UNINSTANTIATED", "generate after uninstantiate");

  // Reseed interval (§9.3.1 step 7): with no source it is an error; with one, a reseed.
  d = new E.HmacDrbg(null, 3);
  d.instantiate(seed, nonce);
  d.generate(16); d.generate(16); d.generate(16);
  t.throwsCode(function () { return d.generate(16); }, "ENTROPY_DRBG_RESEED_REQUIRED", "interval reached without a source");
  d.reseed(seed);
  t.ok(d.generate(16).length === 16, "reseed clears the counter");
  var calls = 0;
  d = new E.HmacDrbg(function () { calls++; return new Uint8Array(32); }, 2);
  d.instantiate(seed, nonce);
  d.generate(16); d.generate(16); d.generate(16);
  t.ok(calls === 1 && d.reseedCounter === 2, "interval reached with a source reseeds from it");
  t.ok(E.DRBG_RESEED_INTERVAL === undefined || E.DRBG_RESEED_INTERVAL === 10000, "default interval");
  t.ok(new E.HmacDrbg().reseedInterval === 10000, "default reseed interval is 10 000 requests");
}
