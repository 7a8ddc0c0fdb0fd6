/**
 * The entropy gate on the built image, on every engine: deterministic simulated sources (stuck,
 * biased, pattern, healthy, zeros-then-healthy, cloned) inside the suite, a tiny virtual clock, and
 * the gate's states and error codes. ES5.
 */
import type { Check } from "../runner";

interface Data { cutoffs: number[][] }

interface Timer { at: number; id: number; fn: () => void }
function makeClock() {
  var t = 0, timers: Timer[] = [], ids = 0;
  return {
    now: function () { return t; },
    after: function (ms: number, fn: () => void) { timers.push({ at: t + (ms > 0 ? ms : 0), id: ++ids, fn: fn }); return ids; },
    cancel: function (id: number) { for (var i = 0; i < timers.length; i++) if (timers[i].id === id) timers.splice(i--, 1); },
    advance: function (ms: number) {
      var end = t + ms;
      for (;;) {
        var best = -1;
        for (var i = 0; i < timers.length; i++) if (timers[i].at <= end && (best < 0 || timers[i].at < timers[best].at)) best = i;
        if (best < 0) break;
        var x = timers.splice(best, 1)[0];
        if (x.at > t) t = x.at;
        x.fn();
      }
      t = end;
    },
  };
}

/** xorshift32: a simulation of hardware noise, not a CSPRNG. */
function makeGen(seed: number, kind: string, arg: any /* a number, or number[] for "pattern" */) {
  var x = (seed * 2654435761) | 0, n = 0;
  if (x === 0) x = 1;
  function next(): number { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 24; }
  return function (): number {
    n++;
    if (kind === "stuck") return arg;
    if (kind === "pattern") return (arg as number[])[(n - 1) % (arg as number[]).length];
    if (kind === "zeros" && n <= arg) return 0;
    if (kind === "biased") {
      var b = 0;
      for (var i = 0; i < 8; i++) if (((next() << 8) | next()) < arg * 65536) b |= 1 << i;
      return b;
    }
    return next();
  };
}

function makeTrng(clock: any, gen: () => number, rate: number) {
  return {
    read: function (n: number, done: (e: string | null, b?: Uint8Array) => void) {
      var b = new Uint8Array(n);
      for (var i = 0; i < n; i++) b[i] = gen();
      clock.after((n * 1000) / rate, function () { done(null, b); });
    },
  };
}

function board(h: number) {
  return { name: "selftest", trng: { source: "sim", bitsPerByte: h, bytesPerSecond: 4096 }, entropy: { gateBits: 256 } };
}

function code(fn: () => unknown): string {
  try { fn(); } catch (e) { return (e as { code: string }).code; }
  return "none";
}

function memStore(seed: Uint8Array) {
  var s = { seed: seed as Uint8Array | null, load: function () { return s.seed; }, save: function (b: Uint8Array) { s.seed = new Uint8Array(b); } };
  return s;
}

export function run(fl: any, data: Data, t: Check): void {
  var E = fl.entropy, i;
  for (i = 0; i < data.cutoffs.length; i++) {
    var c = data.cutoffs[i];
    t.ok(E.rctCutoff(c[0]) === c[1] && E.aptCutoff(c[0]) === c[2], "SP 800-90B cutoffs at H=" + c[0]);
  }

  function gate(kind: string, arg: any, h: number, seed: number, store?: any) {
    var clock = makeClock();
    var g = E.createEntropyGate({ trng: makeTrng(clock, makeGen(seed, kind, arg), 4096), clock: clock, board: board(h), bootSeed: store || null });
    return { clock: clock, g: g };
  }
  /** Runs until the gate leaves "gathering" (or limit ms); returns ms taken and whether key material ever leaked. */
  function drive(r: any, limit: number): { ms: number; leaked: boolean } {
    var ms = 0, leaked = false;
    r.g.start();
    while (r.g.status().state === "gathering" && ms < limit) {
      if (code(function () { return r.g.randomBytes(32); }) !== "ENTROPY_NOT_READY") leaked = true;
      r.clock.advance(5);
      ms += 5;
    }
    return { ms: ms, leaked: leaked };
  }

  var seedBytes = new Uint8Array(32);
  for (i = 0; i < 32; i++) seedBytes[i] = i;

  // Each scenario in its own function: its gates are garbage before the next one starts (a 64 KB
  // JerryScript heap holds the image and one scenario's gates, not all of them).
  (function () {
    var healthy = gate("healthy", null, 8, 1), hr = drive(healthy, 60000);
    t.ok(!hr.leaked, "healthy: no key material while gathering");
    t.ok(healthy.g.status().state === "ready" && healthy.g.status().credited === 256, "healthy: the gate opens with 256 credited bits");
    var k1 = healthy.g.randomBytes(32), k2 = healthy.g.randomBytes(32);
    t.ok(k1.length === 32 && fl.crypto.toHex(k1) !== fl.crypto.toHex(k2), "healthy: keys are 32 bytes and differ");
    t.throwsCode(function () { return healthy.g.randomBytes(2000); }, "ENTROPY_BAD_REQUEST", "healthy: oversized request");
  })();

  (function () {
    var stuck = gate("stuck", 0x33, 8, 1), sr = drive(stuck, 60000);
    t.ok(!sr.leaked && stuck.g.status().state === "failed" && stuck.g.status().error.test === "repetition-count", "stuck: fails the repetition count test");
    t.throwsCode(function () { return stuck.g.randomBytes(32); }, "ENTROPY_SOURCE_FAILED", "stuck: no key material");
  })();

  (function () {
    var pat = gate("pattern", [1, 2, 3, 4], 8, 1), pr = drive(pat, 60000);
    t.ok(!pr.leaked && pat.g.status().state === "failed" && pat.g.status().error.test === "adaptive-proportion", "pattern: fails the adaptive proportion test");
    t.throwsCode(function () { return pat.g.randomBytes(32); }, "ENTROPY_SOURCE_FAILED", "pattern: no key material");
  })();

  (function () {
    var zeros = gate("zeros", 100, 8, 1), zr = drive(zeros, 60000);
    t.ok(!zr.leaked && zeros.g.status().state === "failed", "zeros at early boot: the gate fails, never opens");
    zeros.clock.advance(60000);
    t.throwsCode(function () { return zeros.g.randomBytes(32); }, "ENTROPY_SOURCE_FAILED", "zeros at early boot: sticky until reboot");
  })();

  (function () {
    var h4 = gate("healthy", null, 4, 2), h4r = drive(h4, 60000);
    var mild = gate("biased", 0.7, 4, 2), mr = drive(mild, 60000);
    t.ok(!mr.leaked && mild.g.status().state === "ready" && mr.ms > h4r.ms, "mild bias: opens later than healthy (" + mr.ms + " vs " + h4r.ms + " ms)");
    var strong = gate("biased", 0.9, 4, 3), str = drive(strong, 60000);
    t.ok(!str.leaked && strong.g.status().state === "failed", "strong bias: a health test fails");
  })();

  (function () {
    var ca = gate("healthy", null, 8, 11, memStore(new Uint8Array(seedBytes))), cb = gate("healthy", null, 8, 12, memStore(new Uint8Array(seedBytes)));
    drive(ca, 60000);
    drive(cb, 60000);
    t.ok(fl.crypto.toHex(ca.g.randomBytes(32)) !== fl.crypto.toHex(cb.g.randomBytes(32)), "clones with one saved seed: different keys");
  })();

  (function () {
    var clock = makeClock();
    var silent = E.createEntropyGate({ trng: { read: function () {} }, clock: clock, board: board(8), bootSeed: memStore(new Uint8Array(seedBytes)) });
    silent.start();
    clock.advance(600000);
    t.ok(silent.status().state === "gathering" && silent.status().credited === 0, "a saved seed alone credits nothing");
    t.throwsCode(function () { return silent.randomBytes(32); }, "ENTROPY_NOT_READY", "a saved seed alone never opens the gate");
  })();

  (function () {
    var zeroBoard = gate("healthy", null, 0, 1);
    zeroBoard.g.start();
    t.throwsCode(function () { return zeroBoard.g.randomBytes(32); }, "ENTROPY_NO_SOURCE", "a board crediting 0 bits cannot generate keys");
  })();
}
