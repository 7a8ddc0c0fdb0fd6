/**
 * Issue 10 item 1: someone with flash access keeps the key page, erases the data pages and lets
 * the store write again. No flash state may make two different plaintexts share a keystream
 * under one key. Format-agnostic check: for every record of the first life and every record of
 * the second, the XOR of the ciphertexts must not equal the XOR of any two plaintexts the test
 * wrote (that equality is exactly what a repeated (key, nonce) gives away).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { openStore } from "../../../firmware/store/index.ts";
import { PAGE_HEADER, PART_B, REC_HEADER } from "../../../firmware/store/format.ts";
import { PG_DATA, scanPage } from "../../../firmware/store/scan.ts";
import type { SimFlash } from "../../../hal/sim/flash.ts";
import { ROOT, codeOf, hex, makeFlash, open, valueOf } from "./helpers.ts";
import { snapshot, sweep } from "./sweep.ts";

const NAMES = ["id", "pa", "fa", "se"];

/** The record plaintext the store seals: name length ‖ name ‖ value. */
function plaintext(name: string, value: Uint8Array): Uint8Array {
  const n = new TextEncoder().encode(name);
  const p = new Uint8Array(1 + n.length + value.length);
  p[0] = n.length;
  p.set(n, 1);
  p.set(value, 1 + n.length);
  return p;
}

/** Every record's ciphertext (the sealed body without its tag) on the image. */
function ciphertexts(img: Uint8Array, P: number, N: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p < N; p++) {
    const b = img.subarray(p * P, (p + 1) * P), sc = scanPage(b, P);
    if (sc.state !== PG_DATA) continue;
    for (const r of sc.records) {
      const len = (b[r.off + 2] << 8) | b[r.off + 3];
      out.push(b.slice(r.off + REC_HEADER, r.off + REC_HEADER + len - 16));
    }
  }
  return out;
}

function xor(a: Uint8Array, b: Uint8Array): string {
  return Buffer.from(a.map((x, i) => x ^ b[i])).toString("hex");
}

function eraseDataPages(f: SimFlash, keyPage: number): void {
  for (let p = 0; p < f.pageCount; p++) if (p !== keyPage) assert.equal(f.erase(p), null);
}

/** Writes one life: the same names, this life's values, in the same order. */
function life(f: SimFlash, tag: number, pts: Uint8Array[]): void {
  const s = openStore(f, ROOT, { reformat: true });
  for (let round = 0; round < 3; round++)
    for (const name of NAMES) {
      const v = valueOf(name, tag * 100 + round, 32);
      pts.push(plaintext(name, v));
      s.put(name, v);
    }
  s.close();
}

test("erasing the data pages under a kept key page never makes two plaintexts share a keystream", () => {
  const f = makeFlash(1024, 6);
  const pts: Uint8Array[] = [];
  life(f, 1, pts);
  const a = f.image();
  const s = openStore(f, ROOT);
  const kp = s.stats().keyPage;
  s.close();
  eraseDataPages(f, kp);
  // Whatever the store decides at the next mount (refuse, or start a new key), a second life
  // written on this flash must not reuse a keystream of the first.
  life(f, 2, pts);
  const b = f.image();
  const leaks = new Set<string>();
  for (let i = 0; i < pts.length; i++) for (let j = 0; j < pts.length; j++) if (i !== j) leaks.add(xor(pts[i], pts[j]));
  const ca = ciphertexts(a, 1024, 6), cb = ciphertexts(b, 1024, 6);
  assert.ok(ca.length >= 12 && cb.length >= 12, ca.length + " / " + cb.length);
  let found = 0;
  for (const x of ca) for (const y of cb) if (x.length === y.length && leaks.has(xor(x, y))) found++;
  assert.equal(found, 0, found + " record pairs share a keystream across the erase");
});

test("a store whose data pages were erased under its key page is not taken for a fresh one", () => {
  const f = makeFlash(1024, 6);
  const s = openStore(f, ROOT);
  s.put("id", valueOf("id", 1, 32));
  const kp = s.stats().keyPage, gen = s.stats().generation;
  s.close();
  eraseDataPages(f, kp);
  assert.equal(codeOf(() => openStore(f, ROOT)), "STORE_ERASED");
  // Reopened with reformat: a new key page of a later generation (the old key is never used again).
  const t = openStore(f, ROOT, { reformat: true });
  assert.ok(t.stats().generation > gen);
  assert.equal(t.get("id"), null);
  t.close();
});

test("a key page rewound to its never-used state (every other page erased) still never repeats a keystream", () => {
  const P = 1024, N = 6, f = makeFlash(P, N);
  const s0 = openStore(f, ROOT);
  const kp = s0.stats().keyPage;
  s0.close();
  const freshKeyPage = f.image().slice(kp * P, (kp + 1) * P);
  const pts: Uint8Array[] = [];
  life(f, 1, pts);
  const a = f.image();
  // The attacker's flash state: the key page as it was before anything was written, nothing else.
  for (let p = 0; p < N; p++) assert.equal(f.erase(p), null);
  assert.equal(f.program(kp * P, freshKeyPage), null);
  life(f, 2, pts);
  const b = f.image();
  const leaks = new Set<string>();
  for (let i = 0; i < pts.length; i++) for (let j = 0; j < pts.length; j++) if (i !== j) leaks.add(xor(pts[i], pts[j]));
  let found = 0;
  for (const x of ciphertexts(a, P, N)) for (const y of ciphertexts(b, P, N)) if (x.length === y.length && leaks.has(xor(x, y))) found++;
  assert.equal(found, 0, found + " record pairs share a keystream across the rewind");
});

test("the in-use mark survives power cuts: a cut anywhere in a fresh store's first put never reads as an erased store", () => {
  const f = makeFlash(512, 4);
  open(f).close();
  let tried = 0;
  for (const nested of [false, true]) tried += sweep(snapshot(f), (s) => s.put("id", valueOf("id", 1, 32)), (s, _f, n, torn) => {
    const got = s.get("id");
    assert.ok(got === null || hex(got) === hex(valueOf("id", 1, 32)), `cut ${n} ${torn}`);
    s.put("id", valueOf("id", 2, 32));
    assert.equal(hex(open(_f).get("id")), hex(valueOf("id", 2, 32)), `cut ${n} ${torn}: remount`);
  }, { nested });
  assert.ok(tried > 10, "cut points tried: " + tried);
});

test("STORE_ERASED is not bypassed by one forged empty data-page header (headers are CRC'd, not MACed)", () => {
  const P = 1024, f = makeFlash(P, 6);
  const s = openStore(f, ROOT);
  s.put("id", valueOf("id", 1, 32));
  const kp = s.stats().keyPage;
  s.close();
  const img = f.image();
  let dp = -1;
  for (let p = 0; p < 6 && dp < 0; p++) if (p !== kp && img[p * P + PART_B] === 0x44) dp = p;
  assert.ok(dp >= 0, "a data page");
  const header = img.slice(dp * P, dp * P + PAGE_HEADER);
  eraseDataPages(f, kp);
  // The attacker writes back a genuine data-page header (valid CRC) with no records after it.
  assert.equal(f.program(dp * P, header), null);
  assert.equal(codeOf(() => openStore(f, ROOT, { neverEmptied: true })), "STORE_ERASED");
});

test("without neverEmptied a store emptied by remove still mounts (a used key page with no record left is legitimate there)", () => {
  const f = makeFlash(1024, 6);
  const s = openStore(f, ROOT);
  s.put("a", valueOf("a", 1, 32));
  s.remove("a");
  s.close();
  const t = openStore(f, ROOT);
  assert.deepEqual(t.names(), []);
  t.close();
});
