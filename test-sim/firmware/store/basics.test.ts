import { test } from "node:test";
import assert from "node:assert/strict";
import { SimFlash } from "../../../hal/sim/flash.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { REC_HEADER, SLOT_A } from "../../../firmware/store/format.ts";
import { ROOT, codeOf, hex, makeFlash, open, seededRandom, valueOf } from "./helpers.ts";

test("put / get / update / remove / names, and all of it survives a remount", () => {
  const f = makeFlash();
  const s = open(f);
  assert.equal(s.get("wifi"), null);
  s.put("wifi", valueOf("wifi", 1));
  s.put("id.key", valueOf("id", 1, 32));
  s.put("empty", new Uint8Array(0));
  assert.equal(hex(s.get("wifi")), hex(valueOf("wifi", 1)));
  s.put("wifi", valueOf("wifi", 2));
  assert.equal(hex(s.get("wifi")), hex(valueOf("wifi", 2)));
  assert.deepEqual(s.names(), ["empty", "id.key", "wifi"]);
  assert.equal(s.remove("id.key"), true);
  assert.equal(s.remove("id.key"), false);
  assert.equal(s.remove("never"), false);
  assert.equal(s.get("id.key"), null);
  const s2 = open(f);
  assert.deepEqual(s2.names(), ["empty", "wifi"]);
  assert.equal(hex(s2.get("wifi")), hex(valueOf("wifi", 2)));
  assert.equal(s2.get("empty")!.length, 0);
  assert.equal(s2.get("id.key"), null);
  assert.deepEqual(s2.stats().problems, []);
});

test("versions grow per key and across a remount; values are copies", () => {
  const f = makeFlash();
  const s = open(f);
  s.put("a", valueOf("a", 1));
  const v1 = s.stats().version;
  s.put("a", valueOf("a", 2));
  assert.equal(s.stats().version, v1 + 1);
  const got = s.get("a")!;
  got[0] ^= 1;
  assert.equal(hex(s.get("a")), hex(valueOf("a", 2)));
  const s2 = open(f);
  assert.equal(s2.stats().version, v1 + 1);
  s2.put("a", valueOf("a", 3));
  assert.equal(s2.stats().version, v1 + 2);
});

test("many updates: garbage collection keeps every key, erases rotate over the data pages", () => {
  const f = makeFlash(512, 5);
  const s = open(f);
  const names = ["k0", "k1", "k2", "k3"];
  const last: Record<string, number> = {};
  for (let i = 0; i < 600; i++) {
    const n = names[i % 7 === 0 ? 0 : 1 + (i % 3)];
    s.put(n, valueOf(n, i));
    last[n] = i;
  }
  for (const n of names) assert.equal(hex(s.get(n)), hex(valueOf(n, last[n])));
  const st = s.stats();
  assert.ok(st.eraseMax > 10, "GC happened");
  const data = st.eraseCounts.filter((_, p) => p !== st.keyPage);
  assert.ok(Math.max(...data) - Math.min(...data) <= 10, "wear spread " + data.join(","));
  const s2 = open(f);
  for (const n of names) assert.equal(hex(s2.get(n)), hex(valueOf(n, last[n])));
});

test("static wear levelling moves a cold page", () => {
  const f = makeFlash(512, 5);
  const s = open(f);
  for (let i = 0; i < 5; i++) s.put("cold" + i, valueOf("cold", i, 40)); // fills most of one page, never rewritten
  for (let i = 0; i < 800; i++) s.put("hot", valueOf("hot", i));
  for (let i = 0; i < 5; i++) assert.equal(hex(s.get("cold" + i)), hex(valueOf("cold", i, 40)));
  const st = s.stats();
  const data = st.eraseCounts.filter((_, p) => p !== st.keyPage);
  assert.ok(Math.min(...data) >= Math.max(...data) - 12, "spread " + data.join(","));
});

test("remove: the name reads null after a remount, the other keys are untouched", () => {
  const f = makeFlash(512, 5);
  const s = open(f);
  const secret = valueOf("secret", 1, 32);
  s.put("secret", secret);
  for (let i = 0; i < 6; i++) s.put("other" + i, valueOf("o", i));
  s.put("secret", valueOf("secret", 2, 32));
  s.remove("secret");
  // Decrypting needs the key; check instead that no header with the secret's tag is left except a tombstone.
  const s2 = open(f);
  assert.equal(s2.get("secret"), null);
  for (let i = 0; i < 6; i++) assert.equal(hex(s2.get("other" + i)), hex(valueOf("o", i)));
  const st = s2.stats();
  assert.equal(st.keyCount, 6);
});

test("shred: everything gone, new generation, store usable; old pages unreadable even if a copy survives", () => {
  const f = makeFlash();
  const s = open(f);
  s.put("a", valueOf("a", 1));
  const before = f.image();
  const st0 = s.stats();
  s.shred();
  assert.equal(s.get("a"), null);
  assert.deepEqual(s.names(), []);
  const st1 = s.stats();
  assert.equal(st1.generation, st0.generation + 1);
  assert.notEqual(st1.keyPage, st0.keyPage, "the new key page is written before the old one is erased");
  s.put("b", valueOf("b", 1));
  const s2 = open(f);
  assert.equal(s2.stats().generation, st0.generation + 1);
  assert.deepEqual(s2.names(), ["b"]);
  const after = f.image();
  // The old seed is gone from flash.
  const oldSeed = Buffer.from(before.subarray(st0.keyPage * 512 + SLOT_A + 8, st0.keyPage * 512 + SLOT_A + 40));
  assert.equal(Buffer.from(after).indexOf(oldSeed), -1);
  // An attacker who kept the old data pages and puts them back next to the new key page reads nothing.
  const mixed = after.slice();
  for (let p = 0; p < 4; p++) {
    if (p === st1.keyPage || p === st0.keyPage) continue;
    mixed.set(before.subarray(p * 512, p * 512 + 512), p * 512);
  }
  const g = makeFlash();
  g.load(mixed);
  const s3 = open(g);
  assert.equal(s3.get("a"), null);
  assert.ok(s3.stats().stale > 0, "the old records are seen as stale");
});

test("errors: bad root, bad input, too large, full", () => {
  const f = makeFlash();
  const s = open(f);
  s.put("a", valueOf("a", 1));
  const wrong = ROOT.slice(); wrong[0] ^= 1;
  assert.equal(codeOf(() => openStore(f, wrong)), "STORE_BAD_ROOT");
  assert.equal(codeOf(() => openStore(f, new Uint8Array(16))), "STORE_BAD_INPUT");
  assert.equal(codeOf(() => s.put("", new Uint8Array(1))), "STORE_BAD_INPUT");
  assert.equal(codeOf(() => s.put("x".repeat(29), new Uint8Array(1))), "STORE_BAD_INPUT");
  assert.equal(codeOf(() => s.put("x", [1, 2] as unknown as Uint8Array)), "STORE_BAD_INPUT");
  const max = s.stats().maxValueBytes;
  assert.equal(codeOf(() => s.put("x", new Uint8Array(max + 1))), "STORE_TOO_LARGE");
  s.put("x", new Uint8Array(max));
  assert.equal(s.get("x")!.length, max);
  let i = 0, code: string | undefined;
  while ((code = codeOf(() => s.put("n" + i, valueOf("n", i, 56)))) === undefined) i++;
  assert.equal(code, "STORE_FULL");
  // 512-byte pages: 4 records of 128 bytes fit beside "a" and the largest value, with room left for a tombstone.
  assert.ok(i >= 4);
  for (let j = 0; j < i; j++) assert.equal(hex(s.get("n" + j)), hex(valueOf("n", j, 56)));
  s.remove("n0");
  s.put("n0", valueOf("n", 0, 56));
  const tiny = new SimFlash({ pageSize: 512, pageCount: 2, writeSize: 8 });
  assert.equal(codeOf(() => openStore(tiny, ROOT)), "STORE_BAD_INPUT");
  assert.equal(codeOf(() => openStore(f, ROOT, { random: () => new Uint8Array(32) })), undefined, "random only used when formatting");
  const fresh = makeFlash();
  assert.equal(codeOf(() => openStore(fresh, ROOT, { random: () => new Uint8Array(32) })), "STORE_BAD_INPUT");
  const derived = openStore(makeFlash(), ROOT);
  assert.equal(derived.stats().seedSource, "derived");
  void seededRandom;
});

test("STORE_AUTH: a sealed payload changed on flash is refused, not replaced by an older value", () => {
  const f = makeFlash();
  const s = open(f);
  s.put("a", valueOf("a", 1));
  s.put("a", valueOf("a", 2));
  s.put("b", valueOf("b", 1));
  const img = f.image();
  // The second record of the first data page is "a" v2; flip one bit of its ciphertext.
  const st = s.stats();
  const dp = [0, 1, 2, 3].find((p) => p !== st.keyPage && img[p * 512 + 16] === 0x44)!;
  const recSize = REC_HEADER + Math.ceil((1 + 1 + 24 + 16) / 8) * 8 + 8;
  img[dp * 512 + 32 + recSize + REC_HEADER + 3] ^= 0x01;
  f.load(img);
  const s2 = open(f);
  assert.equal(codeOf(() => s2.get("a")), "STORE_AUTH");
  assert.equal(hex(s2.get("b")), hex(valueOf("b", 1)));
});

test("STORE_ROLLBACK: minVersion above what the flash holds; records newer than the key page", () => {
  const f = makeFlash();
  const s = open(f);
  s.put("a", valueOf("a", 1));
  const old = f.image();
  s.put("a", valueOf("a", 2));
  const v = s.stats().version;
  assert.equal(codeOf(() => open(f, { minVersion: v })), undefined);
  f.load(old);
  assert.equal(codeOf(() => open(f, { minVersion: v })), "STORE_ROLLBACK");
  assert.equal(codeOf(() => open(f, { minVersion: v - 1 })), undefined);
  // Put back an older key page (generation 0) after a shred: the data of generation 1 is newer.
  const f2 = makeFlash();
  const t = open(f2);
  const g0 = f2.image();
  t.shred();
  t.put("a", valueOf("a", 3));
  const kp0 = [0, 1, 2, 3].find((p) => g0[p * 512 + 16] === 0x4b)!;
  const img = f2.image();
  for (let p = 0; p < 4; p++) if (img[p * 512 + 16] === 0x4b) img.set(new Uint8Array(512).fill(0xff), p * 512);
  img.set(g0.subarray(kp0 * 512, kp0 * 512 + 512), kp0 * 512);
  f2.load(img);
  assert.equal(codeOf(() => open(f2)), "STORE_ROLLBACK");
});

test("ECC flash (each unit programmed once per erase) and every write size: no program is refused", () => {
  for (const ws of [1, 2, 4, 8]) {
    const f = makeFlash(512, 4, ws, 3, true);
    const s = open(f);
    for (let i = 0; i < 200; i++) s.put("k" + (i % 4), valueOf("k", i));
    s.remove("k1");
    s.shred();
    s.put("z", valueOf("z", 1));
    const s2 = open(f);
    assert.deepEqual(s2.names(), ["z"], "write size " + ws);
  }
});

test("the version counter never goes back, even when GC drops the newest record (an old tombstone)", () => {
  const f = makeFlash(512, 4);
  const s = open(f);
  s.put("a", valueOf("a", 1));
  s.put("b", valueOf("b", 1));
  s.remove("b");
  const v = s.stats().version;
  // Fill and collect until every page has been recycled; the tombstone of b is dropped on the way.
  const erases = () => f.eraseCounts().reduce((x, y) => x + y, 0);
  const e0 = erases();
  for (let i = 0; erases() < e0 + 12; i++) {
    const before = s.stats().version;
    // Remount between writes: only the flash remembers the counter.
    const t = open(f);
    assert.ok(t.stats().version >= before, `remount ${i}: version ${t.stats().version} < ${before}`);
    t.put("a", valueOf("a", i + 2));
    assert.equal(t.stats().version, before + 1);
    s.close();
    Object.assign(s, t);
  }
  assert.ok(s.stats().version > v);
});
