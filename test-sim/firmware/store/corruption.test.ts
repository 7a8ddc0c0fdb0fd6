/**
 * Corruption fuzz (fixed seed, bounded): random bit flips and byte overwrites of a store image.
 * Mount succeeds (unless both copies of the key slot were hit: STORE_CORRUPT, documented); a key
 * whose pages were not touched reads its newest value; any other key reads a value it had at some
 * point, or throws STORE_AUTH; damaged record headers are reported in stats().problems.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SimFlash } from "../../../hal/sim/flash.ts";
import { scanPage } from "../../../firmware/store/scan.ts";
import { SLOT, SLOT_A, SLOT_B, decodeSlot } from "../../../firmware/store/format.ts";
import { deriveKeys, nameTag } from "../../../firmware/store/keys.ts";
import { utf8Encode } from "../../../firmware/crypto/bytes.ts";
import { ROOT, hex, makeFlash, open, valueOf } from "./helpers.ts";

const P = 512, N = 8;
const CASES = Number(process.env.FUZZ_CASES ?? 400);

test(`corruption fuzz: ${CASES} images with flipped bits / overwritten bytes`, () => {
  const f = makeFlash(P, N);
  const s = open(f);
  const history: Record<string, string[]> = {};
  const names = Array.from({ length: 10 }, (_, i) => "key" + i);
  let step = 0;
  for (const n of names) history[n] = ["null"];
  for (let r = 0; r < 6; r++)
    for (const n of names) {
      const v = valueOf(n, step++, 16 + (step % 30));
      s.put(n, v);
      history[n].push(hex(v));
    }
  s.remove("key3");
  history.key3.push("null");
  const latest: Record<string, string> = {};
  for (const n of names) latest[n] = hex(s.get(n));
  const clean = f.image();
  const kp = s.stats().keyPage;
  // Which pages hold a record of each key.
  const pagesOf: Record<string, Set<number>> = {};
  for (const n of names) pagesOf[n] = new Set();
  // Map records to keys through their name tags (the test derives the name key as the store does).
  const slot = decodeSlot(clean, kp * P + SLOT_A)!;
  const keys = deriveKeys(ROOT, slot.seed);
  for (let p = 0; p < N; p++) {
    if (p === kp) continue;
    for (const r of scanPage(clean.subarray(p * P, (p + 1) * P), P).records)
      for (const n of names) if (hex(nameTag(keys.nameKey, utf8Encode(n))) === r.tag) pagesOf[n].add(p);
  }
  let x = 0xc0ffee;
  const rnd = (m: number) => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % m; };
  let reported = 0, headerHits = 0, mounted = 0, authErrors = 0;
  for (let c = 0; c < CASES; c++) {
    const img = clean.slice();
    const touched = new Set<number>();
    const hits = 1 + rnd(3);
    const at: number[] = [];
    for (let h = 0; h < hits; h++) {
      // Aim at programmed bytes most of the time (that is where the interesting damage is).
      let a = rnd(img.length);
      for (let tries = 0; tries < 20 && img[a] === 0xff && rnd(4) !== 0; tries++) a = rnd(img.length);
      if (rnd(2)) img[a] ^= 1 << rnd(8);
      else img[a] = rnd(256);
      touched.add(Math.floor(a / P));
      at.push(a);
    }
    const g = new SimFlash({ pageSize: P, pageCount: N, writeSize: 8 });
    g.load(img);
    const inSlot = (o: number) => (o >= SLOT_A && o < SLOT_A + SLOT) || (o >= SLOT_B && o < SLOT_B + SLOT);
    const slotsHit = new Set(at.filter((a) => Math.floor(a / P) === kp && inSlot(a % P)).map((a) => ((a % P) < SLOT_B ? "A" : "B")));
    let t;
    try {
      t = open(g);
    } catch (e) {
      const code = (e as { code?: string }).code;
      assert.ok(slotsHit.size === 2 && code === "STORE_CORRUPT", `case ${c}: mount threw ${String(e)} (hits at ${at.join(",")})`);
      continue;
    }
    mounted++;
    for (const n of names) {
      let got: string;
      try {
        got = hex(t.get(n));
      } catch (e) {
        const code = (e as { code?: string }).code;
        assert.ok(code === "STORE_AUTH", `case ${c}: get(${n}) threw ${String(e)}`);
        assert.ok([...pagesOf[n]].some((p) => touched.has(p)), `case ${c}: ${n} fails although its pages are intact`);
        authErrors++;
        continue;
      }
      const untouched = ![...pagesOf[n]].some((p) => touched.has(p)) && !touched.has(kp);
      if (untouched) assert.equal(got, latest[n], `case ${c}: ${n} is intact but reads something else`);
      else assert.ok(history[n].includes(got), `case ${c}: ${n} reads a value it never had`);
    }
    // A hit inside a committed record's header (its CRC-protected bytes) must be reported.
    for (const a of at) {
      const p = Math.floor(a / P), o = a % P;
      if (p === kp) continue;
      const rec = scanPage(clean.subarray(p * P, (p + 1) * P), P).records.find((r) => o >= r.off && o < r.off + 24);
      if (rec && img[a] !== clean[a]) {
        headerHits++;
        const st = t.stats();
        const seen = st.problems.some((q) => q.code === "STORE_CORRUPT" && q.page === p);
        if (seen) reported++;
        else assert.fail(`case ${c}: damaged header at page ${p} offset ${rec.off} not reported (hits ${at.map((q) => Math.floor(q / P) + ":" + (q % P)).join(" ")}; problems ${JSON.stringify(st.problems)}; end ${scanPage(clean.subarray(p * P, (p + 1) * P), P).end})`);
      }
    }
    t.close();
  }
  console.log(`# corruption fuzz: ${CASES} cases, ${mounted} mounted, ${headerHits} header hits (${reported} reported), ${authErrors} STORE_AUTH`);
  assert.ok(headerHits > 10, "the fuzz reaches record headers");
});
