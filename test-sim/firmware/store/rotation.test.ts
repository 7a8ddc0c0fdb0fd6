/**
 * Storage-key rotation (docs/flash-format.md §9): every live record re-sealed under a new key page's
 * keys, the old key page erased; values never change, and a power cut at any program/erase of the
 * rotation (every torn mode) is finished by the next mount with every key reading its value.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { SimFlash } from "../../../hal/sim/flash.ts";
import type { StoreApi } from "../../../firmware/store/index.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { aeadOpen } from "../../../firmware/crypto/aead.ts";
import { deriveKeys, derivedSeed } from "../../../firmware/store/keys.ts";
import { COMMIT, REC_HEADER, SALT, SALT_LEN, recordNonce, recordAad, roundUnit } from "../../../firmware/store/format.ts";
import { recordKey } from "../../../firmware/store/seal.ts";
import { PG_DATA, PG_KEY, scanPage } from "../../../firmware/store/scan.ts";
import { ROOT, codeOf, hex, makeFlash, open, seededRandom, valueOf } from "./helpers.ts";
import { countOps, restore, runWithCut, snapshot, sweep } from "./sweep.ts";

const tally: Record<string, number> = {};
process.on("exit", () => console.log("# rotation power-cut points tried: " + JSON.stringify(tally)));

const pageOf = (f: SimFlash, p: number) => f.image().subarray(p * f.pageSize, (p + 1) * f.pageSize);

/** The seeds of every key page on the image (slot A or B). */
function seeds(f: SimFlash): { gen: number; seed: Uint8Array }[] {
  const out: { gen: number; seed: Uint8Array }[] = [];
  for (let p = 0; p < f.pageCount; p++) {
    const sc = scanPage(pageOf(f, p), f.pageSize);
    if (sc.state === PG_KEY && sc.slot) out.push({ gen: sc.slot.generation, seed: new Uint8Array(sc.slot.seed) });
  }
  return out;
}

/** Every record on the image: its generation and whether `aeadKey` opens it (under either nonce generation). */
function records(f: SimFlash, aeadKey?: Uint8Array): { gen: number; opens: boolean }[] {
  const out: { gen: number; opens: boolean }[] = [];
  for (let p = 0; p < f.pageCount; p++) {
    const b = pageOf(f, p), sc = scanPage(b, f.pageSize);
    if (sc.state !== PG_DATA) continue;
    for (const r of sc.records) {
      const len = r.size - REC_HEADER - COMMIT, sealedLen = (b[r.off + 2] << 8) | b[r.off + 3];
      assert.equal(roundUnit(sealedLen), len);
      let opens = false;
      // Each record is sealed under its own key, HMAC(storage key, the salt in its header) (§2).
      const rk = aeadKey ? recordKey(aeadKey, b.subarray(r.off + SALT, r.off + SALT + SALT_LEN)) : null;
      if (rk) for (const g of [r.generation, r.generation - 1, r.generation + 1])
        if (aeadOpen(rk, recordNonce(g, r.version), b.subarray(r.off + REC_HEADER, r.off + REC_HEADER + sealedLen), recordAad(b, r.off)) !== null) opens = true;
      out.push({ gen: r.generation, opens });
    }
  }
  return out;
}

function fill(s: StoreApi, names: string[]): Record<string, Uint8Array | null> {
  const model: Record<string, Uint8Array | null> = {};
  const L = Math.min(24, s.stats().maxValueBytes); // 256-byte pages take at most 19
  names.forEach((n, i) => { s.put(n, valueOf(n, i, L)); model[n] = valueOf(n, i, L); });
  // Superseded versions and a destroyed key, so stale records and tombstones are on flash too.
  s.put(names[0], valueOf(names[0], 50, L)); model[names[0]] = valueOf(names[0], 50, L);
  s.put(names[1], valueOf(names[1], 51, L)); model[names[1]] = valueOf(names[1], 51, L);
  s.remove(names[2]); model[names[2]] = null;
  return model;
}

function expectAll(s: StoreApi, model: Record<string, Uint8Array | null>, where: string): void {
  for (const k of Object.keys(model)) assert.equal(hex(s.get(k)), hex(model[k]), `${where}: ${k}`);
  assert.deepEqual(s.names(), Object.keys(model).filter((k) => model[k] !== null).sort(), where + ": names");
}

test("rotation: values unchanged before and after remount; the old key opens nothing and its seed is gone", () => {
  const f = makeFlash(512, 8);
  const s = open(f);
  const model = fill(s, ["wifi.psk", "id.x25519", "gone", "c", "d"]);
  const before = seeds(f);
  assert.equal(before.length, 1);
  const oldKeys = deriveKeys(ROOT, before[0].seed);
  assert.ok(records(f, oldKeys.aeadKey).some((r) => r.opens), "the old key opens the records before the rotation (the check can fail)");
  const gen = s.stats().generation, version = s.stats().version;
  s.rotateKey();
  expectAll(s, model, "after rotation");
  assert.equal(s.stats().generation, gen + 1);
  assert.equal(s.stats().version, version, "the version counter does not move");
  const after = seeds(f);
  assert.equal(after.length, 1, "one key page left");
  assert.equal(after[0].gen, gen + 1);
  assert.equal(Buffer.from(f.image()).indexOf(Buffer.from(before[0].seed)), -1, "the old seed is still on flash");
  const recs = records(f, oldKeys.aeadKey);
  assert.ok(recs.length >= 4);
  for (const r of recs) {
    assert.equal(r.gen, gen + 1, "a record of the old generation is left");
    assert.equal(r.opens, false, "the old key opens a record after the rotation");
  }
  const newKeys = deriveKeys(ROOT, after[0].seed);
  assert.ok(records(f, newKeys.aeadKey).every((r) => r.opens), "the new key opens every record");
  const again = open(f);
  expectAll(again, model, "after remount");
  assert.deepEqual(again.stats().problems, []);
  again.put("new", valueOf("new", 1));
  assert.ok(again.stats().version > version);
  assert.equal(hex(open(f).get("new")), hex(valueOf("new", 1)));
});

test("rotation without a random source: the new seed is derived from the root and the next generation", () => {
  const f = makeFlash(512, 6);
  const s = openStore(f, ROOT, {});
  s.put("a", valueOf("a", 1));
  s.rotateKey();
  const sd = seeds(f);
  assert.equal(sd.length, 1);
  assert.equal(hex(sd[0].seed), hex(derivedSeed(ROOT, sd[0].gen)));
  assert.equal(s.stats().seedSource, "derived");
  assert.equal(hex(openStore(f, ROOT, {}).get("a")), hex(valueOf("a", 1)));
  assert.equal(codeOf(() => openStore(f, new Uint8Array(32).fill(3), {})), "STORE_BAD_ROOT");
});

for (const [P, N] of [[512, 8], [256, 14]]) test(`rotation (${N} × ${P} B pages): power cut at every program/erase (every torn mode), remount finishes it; a second rotation works`, () => {
  const f = makeFlash(P, N);
  const s = open(f);
  const model = fill(s, ["k0", "k1", "k2", "k3", "k4", "k5", "k6"]);
  const gen = s.stats().generation;
  const snap = snapshot(f);
  const seen = new Set<number>();
  tally["rotate" + P] = sweep(snap, (t) => t.rotateKey(), (t, fl, n, torn) => {
    const w = `cut ${n} ${torn}`;
    expectAll(t, model, w);
    const st = t.stats();
    assert.deepEqual(st.problems.filter((p) => p.code !== "STORE_ROLLBACK"), [], w + ": problems");
    // Before the new key page is complete the rotation never happened; after it, mount finished it.
    assert.ok(st.generation === gen || st.generation === gen + 1, w + ": generation " + st.generation);
    seen.add(st.generation);
    const ks = seeds(fl as SimFlash);
    assert.equal(ks.length, 1, w + ": one key page after mount");
    for (const r of records(fl as SimFlash)) assert.equal(r.gen, st.generation, w + ": a record of another generation is left");
    t.rotateKey();
    expectAll(t, model, w + " then rotate");
    assert.equal(t.stats().generation, st.generation + 1);
    expectAll(open(fl as SimFlash), model, w + " then rotate, remount");
  });
  assert.deepEqual([...seen].sort(), [gen, gen + 1], "cuts before and after the new key page");
  assert.ok(new Set(records(f).map((r) => r.gen)).size === 1);
});

test("rotation: a cut during the remount that finishes an interrupted rotation (nested)", () => {
  const f = makeFlash(512, 8);
  const s = open(f);
  const model = fill(s, ["n0", "n1", "n2", "n3"]);
  const snap = snapshot(f);
  tally.nested = sweep(snap, (t) => t.rotateKey(), (t, _fl, n, torn) => {
    expectAll(t, model, `cut ${n} ${torn}`);
  }, { nested: true, modes: ["prefix"] });
});

test("rotation on a nearly full store: done, or STORE_FULL with nothing lost", () => {
  for (const pages of [4, 5, 6]) {
    const f = makeFlash(512, pages);
    const s = open(f);
    const model: Record<string, Uint8Array | null> = {};
    for (let i = 0; i < 100; i++) {
      const n = "f" + i;
      if (codeOf(() => s.put(n, valueOf(n, i, 40))) !== undefined) break;
      model[n] = valueOf(n, i, 40);
    }
    const gen = s.stats().generation;
    const code = codeOf(() => s.rotateKey());
    assert.ok(code === undefined || code === "STORE_FULL", pages + " pages: " + code);
    assert.equal(s.stats().generation, code === undefined ? gen + 1 : gen);
    expectAll(s, model, pages + " pages, " + (code ?? "rotated"));
    expectAll(open(f), model, pages + " pages, remount");
    if (pages === 4) assert.equal(code, "STORE_FULL", "4 pages cannot hold two key pages and a spare besides a data page");
  }
  // With garbage to collect first (old versions), a store near its capacity still rotates.
  const f = makeFlash(512, 6);
  const s = open(f);
  const model: Record<string, Uint8Array | null> = {};
  for (let round = 0; round < 6; round++) for (let i = 0; i < 4; i++) { s.put("g" + i, valueOf("g" + i, round, 60)); model["g" + i] = valueOf("g" + i, round, 60); }
  assert.ok(s.stats().sparePages < 3);
  s.rotateKey();
  expectAll(s, model, "after GC and rotation");
  expectAll(open(f), model, "remount");
});

test("repeated rotations with writes between them", () => {
  const f = makeFlash(512, 8, 4);
  const rng = seededRandom(5); // one random source across remounts, as a device's DRBG
  let s = open(f, { random: rng });
  const model = fill(s, ["r0", "r1", "r2", "r3", "r4"]);
  const used = new Set<string>();
  for (let i = 0; i < 8; i++) {
    s.rotateKey();
    const sd = seeds(f);
    assert.equal(sd.length, 1);
    assert.ok(!used.has(hex(sd[0].seed)), "a seed came back");
    used.add(hex(sd[0].seed));
    expectAll(s, model, "rotation " + i);
    s.put("r" + (i % 5), valueOf("r", 100 + i));
    model["r" + (i % 5)] = valueOf("r", 100 + i);
    if (i % 2) s = open(f, { random: rng });
    expectAll(s, model, "rotation " + i + " then put");
  }
  for (const r of records(f)) assert.equal(r.gen, s.stats().generation);
  s.shred();
  assert.deepEqual(s.names(), []);
  s.rotateKey();
  assert.deepEqual(open(f).names(), []);
});

for (const [P, N, K] of [[256, 8, 6], [512, 8, 14]]) test(`rotation (${N} × ${P} B pages, ${K} keys): a cut, then up to 5 cuts in a row during the mounts that finish it`, () => {
  const f = makeFlash(P, N);
  const s = open(f);
  const model: Record<string, Uint8Array | null> = {};
  const L = Math.min(24, s.stats().maxValueBytes); // 256-byte pages take at most 19
  for (let i = 0; i < K; i++) { s.put("k" + i, valueOf("k", i, L)); model["k" + i] = valueOf("k", i, L); }
  for (let i = 0; i < K; i += 2) { s.put("k" + i, valueOf("k", 100 + i, L)); model["k" + i] = valueOf("k", 100 + i, L); }
  const snap = snapshot(f);
  const total = countOps(snap, (g) => open(g).rotateKey());
  const modes = ["none", "prefix", "random-bits"] as const;
  let x = 12345, tried = 0;
  for (let n = 1; n <= total; n++) for (let rep = 0; rep < 4; rep++) {
    let mid = snapshot(runWithCut(snap, (g) => open(g).rotateKey(), n, "prefix", n).flash);
    for (let c = 0; c < 5; c++) {
      const m = countOps(mid, (g) => void open(g));
      if (m === 0) break;
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      const k = 1 + (x % m), r = runWithCut(mid, (g) => void open(g), k, modes[x % 3], k + c);
      mid = snapshot(r.flash);
      tried++;
      if (!r.cut) break;
    }
    const fl = restore(mid), t = open(fl);
    expectAll(t, model, `cut ${n}, repeat ${rep}`);
    for (const r of records(fl)) assert.equal(r.gen, t.stats().generation, `cut ${n}, repeat ${rep}: a record of another generation is left`);
  }
  tally["storm" + P] = tried;
});
