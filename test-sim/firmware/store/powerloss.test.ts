/**
 * Power loss during put (first boot included), update, remove, garbage collection and shred: the
 * power is cut at every program/erase of the operation, in every torn mode, and the store is
 * remounted. Each key reads its old or its new value, never garbage; nothing put before is lost.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SimFlash } from "../../../hal/sim/flash.ts";
import type { StoreApi } from "../../../firmware/store/index.ts";
import { hex, makeFlash, open, valueOf } from "./helpers.ts";
import { countOps, snapshot, sweep } from "./sweep.ts";
import { scanPage } from "../../../firmware/store/scan.ts";

const tally: Record<string, number> = {};
process.on("exit", () => console.log("# power-cut points tried: " + JSON.stringify(tally)));

function expectOneOf(s: StoreApi, name: string, allowed: (Uint8Array | null)[], where: string): number {
  const got = hex(s.get(name));
  const i = allowed.findIndex((a) => hex(a) === got);
  assert.ok(i >= 0, `${where}: ${name} = ${got.slice(0, 24)}…, want one of ${allowed.map((a) => hex(a).slice(0, 16)).join(" | ")}`);
  return i;
}

function mountClean(s: StoreApi, where: string): void {
  const st = s.stats();
  const bad = st.problems.filter((p) => p.code !== "STORE_ROLLBACK");
  assert.deepEqual(bad, [], where + ": a power cut must not look like corruption");
}

test("first boot + put: format and first record, every cut point", () => {
  const blank = snapshot(makeFlash());
  tally.firstBoot = sweep(blank, (s) => s.put("a", valueOf("a", 1)), (s, _f, n, torn) => {
    const w = `cut ${n} ${torn}`;
    expectOneOf(s, "a", [null, valueOf("a", 1)], w);
    mountClean(s, w);
    s.put("b", valueOf("b", 1));
    assert.equal(hex(s.get("b")), hex(valueOf("b", 1)));
  }, { nested: true });
});

test("update: every cut point leaves old or new, other keys untouched; a later put still works", () => {
  const f = makeFlash();
  const s = open(f);
  s.put("a", valueOf("a", 1));
  s.put("b", valueOf("b", 1));
  const snap = snapshot(f);
  tally.update = sweep(snap, (s) => s.put("a", valueOf("a", 2)), (s, f, n, torn) => {
    const w = `cut ${n} ${torn}`;
    expectOneOf(s, "a", [valueOf("a", 1), valueOf("a", 2)], w);
    assert.equal(hex(s.get("b")), hex(valueOf("b", 1)), w);
    mountClean(s, w);
    s.put("a", valueOf("a", 3));
    const again = open(f as SimFlash);
    assert.equal(hex(again.get("a")), hex(valueOf("a", 3)), w + " then put");
  });
});

test("remove (destroy): old value or gone; once gone, no ciphertext of it stays on flash", () => {
  const f = makeFlash(512, 4);
  const s = open(f);
  let img = f.image();
  s.put("a", valueOf("a", 1));
  const bodies = newRecordBodies(img, f.image(), 512);
  for (let i = 0; i < 5; i++) s.put("o" + i, valueOf("o", i));
  img = f.image();
  s.put("a", valueOf("a", 2));
  bodies.push(...newRecordBodies(img, f.image(), 512));
  assert.equal(bodies.length, 2);
  const snap = snapshot(f);
  tally.remove = sweep(snap, (s) => void s.remove("a"), (s, f, n, torn) => {
    const w = `cut ${n} ${torn}`;
    const i = expectOneOf(s, "a", [valueOf("a", 2), null], w);
    for (let k = 0; k < 5; k++) assert.equal(hex(s.get("o" + k)), hex(valueOf("o", k)), w);
    if (i === 1) {
      // The remount finished the destroy: neither old record is on flash any more.
      const image = Buffer.from(f.image());
      for (const b of bodies) assert.equal(image.indexOf(Buffer.from(b)), -1, w + ": an old record of 'a' is still on flash");
    }
  }, { nested: true });
});

/** Header + sealed payload of every record in `after` that is not in `before`. */
function newRecordBodies(before: Uint8Array, after: Uint8Array, P: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p < after.length / P; p++) {
    const a = scanPage(after.subarray(p * P, (p + 1) * P), P), b = scanPage(before.subarray(p * P, (p + 1) * P), P);
    for (const r of a.records) if (!b.records.some((q) => q.off === r.off)) out.push(after.slice(p * P + r.off, p * P + r.off + r.size - 8));
  }
  return out;
}

test("garbage collection: a put that triggers GC, every cut point", () => {
  const f = makeFlash(512, 4);
  const s = open(f);
  let i = 0;
  // Fill until the next put has to collect: data pages full, one spare.
  const erases = () => f.eraseCounts().reduce((a, b) => a + b, 0);
  const e0 = erases();
  let snap = snapshot(f);
  for (;; i++) {
    snap = snapshot(f);
    s.put("k" + (i % 3), valueOf("k", i));
    if (erases() > e0) break;
  }
  const last = [i - 3, i - 2, i - 1].map((j) => ({ name: "k" + (j % 3), v: valueOf("k", j) }));
  const target = "k" + (i % 3);
  tally.gc = sweep(snap, (s) => s.put(target, valueOf("k", i)), (s, _f, n, torn) => {
    const w = `cut ${n} ${torn}`;
    for (const l of last) {
      if (l.name === target) expectOneOf(s, target, [l.v, valueOf("k", i)], w);
      else assert.equal(hex(s.get(l.name)), hex(l.v), w + " " + l.name);
    }
    mountClean(s, w);
  });
  const erasesIn = (() => { const g = new SimFlash({ pageSize: 512, pageCount: 4, writeSize: 8 }); g.load(snap.image); g.setEraseCounts(snap.erases); const e = g.eraseCounts().reduce((a, b) => a + b, 0); open(g).put(target, valueOf("k", i)); return g.eraseCounts().reduce((a, b) => a + b, 0) - e; })();
  assert.ok(erasesIn >= 1, "the put collected a page");
  assert.equal(tally.gc, 3 * countOps(snap, (g) => open(g).put(target, valueOf("k", i))));
});

test("shred: before or after, never half; an interrupted shred finishes at mount", () => {
  const f = makeFlash(512, 4);
  const s = open(f);
  s.put("a", valueOf("a", 1));
  s.put("b", valueOf("b", 1));
  const g = s.stats().generation;
  const snap = snapshot(f);
  tally.shred = sweep(snap, (s) => s.shred(), (s, _f, n, torn) => {
    const w = `cut ${n} ${torn}`;
    const st = s.stats();
    if (st.generation === g) {
      assert.equal(hex(s.get("a")), hex(valueOf("a", 1)), w);
      assert.equal(hex(s.get("b")), hex(valueOf("b", 1)), w);
    } else {
      assert.equal(st.generation, g + 1, w);
      assert.equal(s.get("a"), null, w);
      assert.equal(s.get("b"), null, w);
      assert.equal(st.records, 0, w);
    }
    s.put("c", valueOf("c", 1));
    assert.equal(hex(s.get("c")), hex(valueOf("c", 1)), w);
  }, { nested: true });
});

test("randomised long sequence (fixed seed): cuts inside 120 random operations", () => {
  let x = 0x9e3779b9;
  const rnd = (n: number) => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
  const ref = makeFlash(512, 5);
  let s = open(ref);
  const model: Record<string, Uint8Array | null> = {};
  const names = ["n0", "n1", "n2", "n3", "n4", "n5"];
  let tried = 0;
  for (let step = 0; step < 400; step++) {
    const kind = rnd(100);
    const name = names[rnd(names.length)];
    const value = valueOf(name, step, 8 + rnd(40));
    const op = kind < 70 ? (t: StoreApi) => t.put(name, value) : kind < 97 ? (t: StoreApi) => void t.remove(name) : (t: StoreApi) => t.shred();
    const after: Record<string, Uint8Array | null> = { ...model };
    if (kind < 70) after[name] = value;
    else if (kind < 97) after[name] = null;
    else for (const k of names) after[k] = null;
    if (step % 3 === 0 && tried < 120) {
      const snap = snapshot(ref);
      const total = (() => { const f = restoreFrom(snap); const b = f.opCount(); op(open(f)); return f.opCount() - b; })();
      if (total > 0) {
        const n = 1 + rnd(total);
        const torn = (["none", "prefix", "random-bits"] as const)[rnd(3)];
        const f = restoreFrom(snap, step);
        f.cutPowerAfter(n, { torn });
        let cut = false;
        try { op(open(f)); } catch (e) { if (!(e as { powerCut?: boolean }).powerCut) throw e; cut = true; f.restorePower(); }
        assert.ok(cut);
        tried++;
        const r = open(f);
        const shredded = r.stats().generation !== s.stats().generation;
        if (!shredded) assert.ok(r.stats().version >= s.stats().version, `step ${step}: the version counter went back (${r.stats().version} < ${s.stats().version})`);
        for (const k of names) {
          const want = shredded ? [null] : k === name || kind >= 97 ? [model[k] ?? null, after[k] ?? null] : [model[k] ?? null];
          expectOneOf(r, k, want, `step ${step} cut ${n}/${total} ${torn}`);
        }
        mountClean(r, `step ${step}`);
      }
    }
    op(s);
    Object.assign(model, after);
    if (step % 50 === 49) s = open(ref);
  }
  for (const k of names) assert.equal(hex(s.get(k)), hex(model[k] ?? null));
  tally.randomised = tried;
});

function restoreFrom(snap: ReturnType<typeof snapshot>, seed = 1): SimFlash {
  const f = new SimFlash({ pageSize: snap.pageSize, pageCount: snap.pageCount, writeSize: snap.writeSize, seed });
  f.load(snap.image);
  f.setEraseCounts(snap.erases);
  return f;
}

test("update and garbage-collecting puts on 1 KB pages with write sizes 1 and 4: every cut point", () => {
  let tried = 0;
  for (const ws of [1, 4]) {
    const f = makeFlash(1024, 4, ws, 11);
    const s = open(f);
    const latest: Record<string, number> = {};
    const erases = () => f.eraseCounts().reduce((a, b) => a + b, 0);
    const e0 = erases();
    let i = 0;
    // Run until some puts have collected pages; sweep every 9th put on the way.
    for (; erases() < e0 + 4; i++) {
      const name = "n" + (i % 4), value = valueOf(name, i, 20 + (i % 13));
      if (i % 9 === 0) {
        const snap = snapshot(f);
        const before = { ...latest };
        tried += sweep(snap, (t) => t.put(name, value), (t, _g, n, torn) => {
          for (const k of Object.keys(before)) {
            const old = valueOf(k, before[k], 20 + (before[k] % 13));
            if (k === name) expectOneOf(t, k, [old, value], `ws ${ws} put ${i} cut ${n} ${torn}`);
            else assert.equal(hex(t.get(k)), hex(old), `ws ${ws} put ${i} cut ${n} ${torn}: ${k}`);
          }
          mountClean(t, `ws ${ws} put ${i} cut ${n}`);
        });
      }
      s.put(name, value);
      latest[name] = i;
    }
  }
  tally.writeSizes = tried;
});
