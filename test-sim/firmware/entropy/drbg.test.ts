import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { HmacDrbg, drbgInternalState } from "../../../firmware/entropy/drbg.ts";
import { prFalse, prTrue } from "../../selftest/loaders/hmac-drbg.ts";
import { codeOf } from "./helpers.ts";

const h = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const hex = (b: Uint8Array | null) => (b === null ? "null" : Buffer.from(b).toString("hex"));

/** Reference SP 800-90A §10.1.2 HMAC_DRBG on @noble/hashes (the oracle). */
class Ref {
  K = new Uint8Array(32);
  V = new Uint8Array(32).fill(1);
  constructor(e: Uint8Array, n: Uint8Array, p: Uint8Array) { this.upd(Uint8Array.from([...e, ...n, ...p])); }
  upd(d: Uint8Array) {
    this.K = hmac(sha256, this.K, Uint8Array.from([...this.V, 0, ...d]));
    this.V = hmac(sha256, this.K, this.V);
    if (d.length === 0) return;
    this.K = hmac(sha256, this.K, Uint8Array.from([...this.V, 1, ...d]));
    this.V = hmac(sha256, this.K, this.V);
  }
  reseed(e: Uint8Array, a: Uint8Array) { this.upd(Uint8Array.from([...e, ...a])); }
  generate(n: number, a: Uint8Array) {
    if (a.length) this.upd(a);
    const out: number[] = [];
    while (out.length < n) { this.V = hmac(sha256, this.K, this.V); out.push(...this.V); }
    this.upd(a);
    return Uint8Array.from(out.slice(0, n));
  }
}

test("NIST CAVP pr_false: 240 vectors", () => {
  const v = prFalse();
  assert.equal(v.length, 240);
  for (const [e, n, p, er, ar, a1, a2, out] of v) {
    const d = new HmacDrbg();
    d.instantiate(h(e), h(n), h(p));
    d.reseed(h(er), h(ar));
    d.generate(128, h(a1));
    assert.equal(hex(d.generate(128, h(a2))), out);
  }
});

test("NIST CAVP pr_true: 240 vectors with intermediate V/Key", () => {
  const v = prTrue();
  assert.equal(v.length, 240);
  for (const t of v) {
    const q = [t[6], t[10]];
    const d = new HmacDrbg(() => h(q.shift()!));
    d.instantiate(h(t[0]), h(t[1]), h(t[2]));
    let s = drbgInternalState(d);
    assert.deepEqual([hex(s.V), hex(s.Key)], [t[3], t[4]]);
    d.generate(128, h(t[5]), true);
    s = drbgInternalState(d);
    assert.deepEqual([hex(s.V), hex(s.Key)], [t[7], t[8]]);
    assert.equal(hex(d.generate(128, h(t[9]), true)), t[11]);
    s = drbgInternalState(d);
    assert.deepEqual([hex(s.V), hex(s.Key)], [t[12], t[13]]);
  }
});

test("differential against a reference HMAC_DRBG (property)", () => {
  const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
  fc.assert(fc.property(bytes(32, 80), bytes(16, 40), bytes(0, 70),
    fc.array(fc.record({ reseed: fc.option(fc.tuple(bytes(32, 48), bytes(0, 40))), n: fc.integer({ min: 1, max: 200 }), add: bytes(0, 70) }), { maxLength: 6 }),
    (e, n, p, ops) => {
      const d = new HmacDrbg(), r = new Ref(e, n, p);
      d.instantiate(e, n, p);
      for (const op of ops) {
        if (op.reseed) { d.reseed(op.reseed[0], op.reseed[1]); r.reseed(op.reseed[0], op.reseed[1]); }
        assert.equal(hex(d.generate(op.n, op.add)), hex(r.generate(op.n, op.add)));
      }
    }), { numRuns: 200 });
});

test("every error has its own code", () => {
  const d = new HmacDrbg(), e = new Uint8Array(32), n = new Uint8Array(16);
  assert.equal(codeOf(() => d.generate(32)), "ENTROPY_DRBG_UNINSTANTIATED");
  assert.equal(codeOf(() => d.reseed(e)), "ENTROPY_DRBG_UNINSTANTIATED");
  assert.equal(codeOf(() => d.instantiate(new Uint8Array(31), n)), "ENTROPY_SEED_TOO_SHORT");
  assert.equal(codeOf(() => d.instantiate(e, new Uint8Array(15))), "ENTROPY_SEED_TOO_SHORT");
  assert.equal(codeOf(() => d.instantiate(e, null as never)), "ENTROPY_BAD_INPUT");
  assert.equal(codeOf(() => d.instantiate(e, n, new Uint8Array(1025))), "ENTROPY_BAD_INPUT");
  assert.equal(codeOf(() => d.instantiate([1, 2] as never, n)), "CRYPTO_BAD_INPUT");
  d.instantiate(e, n);
  for (const bad of [0, -1, 1025, 2.5, NaN, "32"]) assert.equal(codeOf(() => d.generate(bad as never)), "ENTROPY_BAD_REQUEST", String(bad));
  assert.equal(d.generate(1024).length, 1024);
  assert.equal(codeOf(() => d.generate(8, null, true)), "ENTROPY_PR_UNAVAILABLE");
  const limited = new HmacDrbg(null, 2);
  limited.instantiate(e, n);
  limited.generate(1); limited.generate(1);
  assert.equal(codeOf(() => limited.generate(1)), "ENTROPY_DRBG_RESEED_REQUIRED");
  const def = new HmacDrbg();
  def.instantiate(e, n);
  for (let i = 0; i < 10_000; i++) def.generate(1);
  assert.equal(codeOf(() => def.generate(1)), "ENTROPY_DRBG_RESEED_REQUIRED", "mbedTLS default: 10 000 requests");
  def.reseed(e);
  assert.equal(def.generate(1).length, 1);
});

test("uninstantiate wipes K and V in place", () => {
  const d = new HmacDrbg();
  d.instantiate(new Uint8Array(32).fill(3), new Uint8Array(16));
  const raw = d as unknown as { K: Uint8Array; V: Uint8Array };
  const K = raw.K, V = raw.V;
  d.uninstantiate();
  assert.ok(K.every((x) => x === 0) && V.every((x) => x === 0));
  assert.equal(drbgInternalState(d).V, null);
  assert.equal(d.instantiated(), false);
});
