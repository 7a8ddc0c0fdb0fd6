/**
 * The credential store on the built image, on every engine, over the simulated NOR flash bundled
 * into this suite: put/get/remove/names/shred/rotateKey, the error codes, and power-cut sweeps (every
 * program/erase of a first boot, an update, a remove, a shred, a key rotation and a garbage-collecting
 * put, in each torn mode). ES5.
 */
import type { Check } from "../runner";
import { SimFlash, isPowerCut, type TornMode } from "../../../hal/sim/flash";

interface Data { pageSize: number; pageCount: number; writeSize: number; torn: TornMode[]; gcModes: TornMode[] }

var HEX = "0123456789abcdef";
function hex(b: Uint8Array | null): string {
  if (b === null) return "null";
  var s = "";
  for (var i = 0; i < b.length; i++) s += HEX.charAt(b[i] >> 4) + HEX.charAt(b[i] & 15);
  return s;
}

function bytes(seed: number, n: number): Uint8Array {
  var b = new Uint8Array(n), x = (seed * 2654435761) | 0;
  if (x === 0) x = 1;
  for (var i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    b[i] = x >>> 24;
  }
  return b;
}

function randomSource(seed: number) {
  var k = seed;
  return function (n: number): Uint8Array { return bytes(++k, n); };
}

export function run(fl: any, d: Data, t: Check): void {
  var S = fl.store, root = bytes(7, 32);
  function flash(seed?: number): SimFlash {
    return new SimFlash({ pageSize: d.pageSize, pageCount: d.pageCount, writeSize: d.writeSize, seed: seed !== undefined && seed !== 0 ? seed : 1 });
  }
  function open(f: SimFlash, opts?: any) {
    var o = opts !== undefined ? opts : {};
    if (o.random === undefined) o.random = randomSource(5);
    return S.openStore(f, root, o);
  }
  var copy = function (f: SimFlash, seed: number): SimFlash {
    var g = flash(seed);
    g.load(f.image());
    g.setEraseCounts(f.eraseCounts());
    return g;
  };

  // Each section runs in its own function, so its flashes and stores are garbage before the next one
  // starts (a 64 KB JerryScript heap holds the image and one section's, not all of them).
  (function basicsAndErrors() {
    var f = flash(), s = open(f);
    t.ok(s.get("a") === null, "empty store: get is null");
    s.put("a", bytes(1, 20));
    s.put("b", bytes(2, 0));
    s.put("a", bytes(3, 20));
    t.eqHex(s.get("a"), hex(bytes(3, 20)), "update reads the new value");
    t.ok((s.names() as string[]).join(",") === "a,b", "names");
    t.ok(s.remove("b") === true && s.get("b") === null, "remove");
    var s2 = open(f);
    t.eqHex(s2.get("a"), hex(bytes(3, 20)), "remount reads the newest value");
    t.ok(s2.get("b") === null, "remount: removed stays removed");
    var g0 = s2.stats().generation;
    s2.shred();
    t.ok(s2.get("a") === null && s2.stats().generation === g0 + 1, "shred: empty, next generation");
    for (var i = 0; i < 120; i++) s2.put("k" + (i % 3), bytes(100 + i, 30));
    t.eqHex(open(f).get("k2"), hex(bytes(100 + 119, 30)), "after garbage collection");
    var st = s2.stats();
    t.ok(st.eraseMax - st.eraseMin <= 12 && st.eraseMax > 3, "erase counts spread " + (st.eraseCounts as number[]).join(","));

    // Errors.
    var wrong = bytes(8, 32);
    t.throwsCode(function () { open(f, { random: randomSource(1) }); S.openStore(f, wrong); }, "STORE_BAD_ROOT", "wrong root");
    t.throwsCode(function () { s2.put("", bytes(1, 1)); }, "STORE_BAD_INPUT", "empty name");
    t.throwsCode(function () { s2.put("x", bytes(1, st.maxValueBytes + 1)); }, "STORE_TOO_LARGE", "value too large");
    t.throwsCode(function () { for (var j = 0; j < 100; j++) s2.put("full" + j, bytes(j, 100)); }, "STORE_FULL", "full");
    t.eqHex(s2.get("k2"), hex(bytes(100 + 119, 30)), "full store stays readable");
  })();

  // Power-cut sweeps.
  function sweep(label: string, base: SimFlash, op: (st: any) => void, check: (st: any) => boolean, modes: TornMode[]): void {
    var total = (function () { var g = copy(base, 1), n0 = g.opCount(); op(open(g)); return g.opCount() - n0; })();
    var tried = 0, good = 0;
    for (var m = 0; m < modes.length; m++) {
      for (var n = 1; n <= total; n++) {
        var g = copy(base, n * 13 + m), cut = false;
        g.cutPowerAfter(n, { torn: modes[m] });
        try { op(open(g)); } catch (e) {
          if (!isPowerCut(e)) throw e;
          cut = true;
        }
        g.restorePower();
        tried++;
        var ok = false;
        try { ok = cut && check(open(g)); } catch (e2) { ok = false; }
        if (ok) good++;
        else t.ok(false, label + ": cut " + n + "/" + total + " (" + modes[m] + ")");
      }
    }
    t.ok(tried > 0 && good === tried, label + ": " + good + "/" + tried + " cut points recover");
  }

  (function sweeps() {
    sweep("first boot + put", flash(), function (x) { x.put("a", bytes(1, 16)); }, function (x) {
      var v = hex(x.get("a"));
      return v === "null" || v === hex(bytes(1, 16));
    }, d.torn);

    var u = flash(), us = open(u);
    us.put("a", bytes(1, 16));
    us.put("b", bytes(2, 16));
    sweep("update", u, function (x) { x.put("a", bytes(3, 16)); }, function (x) {
      var v = hex(x.get("a"));
      return (v === hex(bytes(1, 16)) || v === hex(bytes(3, 16))) && hex(x.get("b")) === hex(bytes(2, 16));
    }, d.torn);

    var r = flash(), rs = open(r);
    rs.put("a", bytes(1, 16));
    rs.put("b", bytes(2, 16));
    rs.put("a", bytes(3, 16));
    sweep("remove", r, function (x) { x.remove("a"); }, function (x) {
      var v = hex(x.get("a"));
      return (v === "null" || v === hex(bytes(3, 16))) && hex(x.get("b")) === hex(bytes(2, 16));
    }, d.torn);
    var rg = rs.stats().generation;
    sweep("shred", r, function (x) { x.shred(); }, function (x) {
      var gen = x.stats().generation, a = hex(x.get("a")), b = hex(x.get("b"));
      if (gen === rg) return a === hex(bytes(3, 16)) && b === hex(bytes(2, 16));
      return gen === rg + 1 && a === "null" && b === "null";
    }, d.gcModes);

  })();

  // Key rotation: values unchanged, next generation; a cut at any program/erase is finished by the
  // mount (every key reads exactly its value). Needs 3 free pages: 4 pages with data give STORE_FULL.
  (function rotation() {
    var ks = open(flash());
    ks.put("a", bytes(1, 16));
    t.throwsCode(function () { ks.rotateKey(); }, "STORE_FULL", "rotation on 4 pages: STORE_FULL");
    t.eqHex(ks.get("a"), hex(bytes(1, 16)), "rotation refused: value kept");
    var kf = new SimFlash({ pageSize: d.pageSize, pageCount: 6, writeSize: d.writeSize, seed: 3 }), kst = open(kf);
    for (var ki = 0; ki < 5; ki++) kst.put("r" + ki, bytes(400 + ki, 24));
    kst.put("r0", bytes(410, 24));
    var kg = kst.stats().generation, kb = new SimFlash({ pageSize: d.pageSize, pageCount: 6, writeSize: d.writeSize, seed: 4 });
    kb.load(kf.image());
    kb.setEraseCounts(kf.eraseCounts());
    kst.rotateKey();
    t.ok(kst.stats().generation === kg + 1 && hex(kst.get("r0")) === hex(bytes(410, 24)) && hex(open(kf).get("r4")) === hex(bytes(404, 24)), "rotation: next generation, values unchanged after remount");
    var rotCopy = copy;
    copy = function (f0: SimFlash, sd: number): SimFlash {
      var g6 = new SimFlash({ pageSize: d.pageSize, pageCount: 6, writeSize: d.writeSize, seed: sd });
      g6.load(f0.image());
      g6.setEraseCounts(f0.eraseCounts());
      return g6;
    };
    sweep("key rotation", kb, function (x) { x.rotateKey(); }, function (x) {
      var gen = x.stats().generation;
      if (gen !== kg && gen !== kg + 1) return false;
      if (hex(x.get("r0")) !== hex(bytes(410, 24))) return false;
      for (var j = 1; j < 5; j++) if (hex(x.get("r" + j)) !== hex(bytes(400 + j, 24))) return false;
      return true;
    }, d.gcModes);
    copy = rotCopy;
  })();

  // Corruption: random bit flips → mount succeeds, every key reads a value it had or throws STORE_AUTH.
  (function corruption() {
    var cf = flash(), cs = open(cf), hist: { [k: string]: string[] } = {};
    for (var c = 0; c < 12; c++) {
      var cv = bytes(300 + c, 12 + c);
      cs.put("c" + (c % 4), cv);
      (hist["c" + (c % 4)] = hist["c" + (c % 4)] || ["null"]).push(hex(cv));
    }
    var clean = cf.image(), x = 12345, bad = 0;
    for (var fc = 0; fc < 24; fc++) {
      var img = new Uint8Array(clean.length);
      img.set(clean);
      for (var h = 0; h < 2; h++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        var at = (x >>> 0) % img.length;
        img[at] ^= 1 << ((x >>> 8) & 7);
      }
      var ff = flash();
      ff.load(img);
      try {
        var fs = open(ff);
        for (var kk in hist) {
          if (!hist.hasOwnProperty(kk)) continue;
          try {
            var got = hex(fs.get(kk)), seen = false;
            for (var q = 0; q < hist[kk].length; q++) if (hist[kk][q] === got) seen = true;
            if (!seen) bad++;
          } catch (e3) {
            if ((e3 as { code?: string }).code !== "STORE_AUTH") bad++;
          }
        }
      } catch (e4) {
        if ((e4 as { code?: string }).code !== "STORE_CORRUPT") bad++;
      }
    }
    t.ok(bad === 0, "corruption: 24 damaged images mount, no key reads a value it never had (" + bad + " bad)");
  })();

  // Fill until the next put collects a page.
  (function garbageCollectingPut() {
    var gf = flash(), gs = open(gf), k = 0, before = 0, snap = gf;
    for (;;) {
      var e0 = sum(gf.eraseCounts());
      snap = copy(gf, 1);
      gs.put("g" + (k % 3), bytes(200 + k, 24));
      if (sum(gf.eraseCounts()) > e0) { before = k; break; }
      k++;
    }
    sweep("garbage-collecting put", snap, function (x) { x.put("g" + (before % 3), bytes(200 + before, 24)); }, function (x) {
      for (var j = before - 2; j <= before; j++) {
        var v = hex(x.get("g" + (j % 3)));
        if (v !== hex(bytes(200 + j, 24)) && !(j === before && v === hex(bytes(200 + j - 3, 24)))) return false;
      }
      return true;
    }, d.gcModes);
  })();
}

function sum(a: number[]): number {
  var n = 0;
  for (var i = 0; i < a.length; i++) n += a[i];
  return n;
}
