/**
 * The entropy gate: the only way firmware gets random bytes for keys.
 *
 *   gathering ──(≥ gateBits credited since boot)──▶ ready ──(first health alarm)──▶ ready, re-testing
 *       │                                            │  ◀──(STARTUP_SAMPLES pass)──┘        │
 *       └──(health test fails / TRNG error)──▶ failed ◀┘◀──(a second alarm in this boot, ────┘
 *                                          (sticky until reboot)    whenever it comes)
 *
 * Once open, the first health-test alarm of a boot is not a failure: at α = 2^-40 it is almost
 * surely a false alarm, or the first sign of a source going bad. The gate drops every credited bit
 * not yet used, stops reseeding, and re-tests the source on STARTUP_SAMPLES fresh samples (credited
 * nothing); the DRBG, seeded before the alarm, keeps serving requests without prediction resistance
 * meanwhile. A healthy source alarms about once in 20 device lifetimes, so a second alarm in the
 * same boot, during the re-test or hours later, fails the gate for good. Every alarm is reported to
 * `onAlarm` (the device logs it and audits ENTROPY_ALARM), the second one just before `onFailure`
 * (docs/entropy.md, "Alarms after the gate opened").
 *
 * While gathering, `randomBytes` throws ENTROPY_NOT_READY; once failed, ENTROPY_SOURCE_FAILED, for
 * ever: there is no fallback to weaker randomness. When the gate opens, HMAC_DRBG is instantiated
 * from pool output (entropy input ‖ nonce) with the boot seed as personalization, a fresh boot seed
 * is saved, and the TRNG keeps being read and health-tested in the background; the DRBG is reseeded
 * from fresh pool output every RESEED_MS (Linux's crng reseeds every 60 s). The boot seed is saved
 * again at most every SEED_SAVE_MS, not at each reseed: every save is a store record, and flash
 * pages wear out (docs/entropy.md, "Boot seed": the wear arithmetic).
 */
import { fail } from "../errors";
import { concatBytes, wipe } from "../crypto/bytes";
import type { Trng } from "../../hal/trng";
import type { Clock } from "../../hal/clock";
import type { BoardConfig } from "../../hal/board-config";
import type { HalError } from "../../hal/errors";
import { EntropyPool, POOL_BLOCK_BITS } from "./pool";
import { HmacDrbg } from "./drbg";
import { SeedStore, takeBootSeed, saveBootSeed, BOOT_SEED_BYTES } from "./boot-seed";

/** Linux's readiness threshold; a board may raise it, never lower it. */
export var MIN_GATE_BITS = 256;
/** Raw bytes per TRNG read while gathering (the HAL allows 1 … 256). */
export var GATHER_CHUNK = 64;
/** After the gate opens: one chunk per BACKGROUND_MS keeps the health tests running and the pool fresh. */
export var BACKGROUND_MS = 1000;
/** Reseed period of the DRBG from fresh pool output. */
export var RESEED_MS = 60000;
/**
 * Least time between two boot-seed saves while the gate is open (4 h: 6 saves per idle day). A save
 * at every reseed wore an idle device's worst flash page out in 2–3 years (issue 10 item 3).
 */
export var SEED_SAVE_MS = 4 * 3600 * 1000;
/** A BUSY TRNG is retried this many times in a row (BUSY_RETRY_MS apart) before it counts as failed. */
export var BUSY_RETRIES = 10;
/**
 * A TRNG that answers OFF (its condition for true randomness does not hold: the ESP32/ESP8266 RNG
 * with the radio off) is not failed; nothing is credited and it is asked again this much later.
 */
export var OFF_RETRY_MS = 1000;
/** Health alarms after the gate opened that are re-tested in one boot; the next one fails the gate for good. */
export var MAX_ALARMS_PER_BOOT = 1;
export var BUSY_RETRY_MS = 10;

export type GateState = "gathering" | "ready" | "failed";

export interface GateError {
  /** ENTROPY_SOURCE_FAILED (a health test or the TRNG) or ENTROPY_NO_SOURCE (board credits 0 bits). */
  code: string;
  message: string;
  /** The health test that failed: "repetition-count" or "adaptive-proportion". */
  test?: string;
  /** The TRNG's HalError, when the driver reported one. */
  hal?: HalError;
}

export interface GateStatus {
  state: GateState;
  /** Credited bits gathered towards the gate (at most `needed` once ready). */
  credited: number;
  needed: number;
  /** Health-test alarms after the gate opened in this boot (the first is re-tested, the second fails the gate). */
  alarms: number;
  /** True while the source is re-tested after an alarm (no reseed, no prediction resistance). */
  retesting: boolean;
  /** True while the TRNG answers OFF (e.g. the ESP32 radio is off): nothing is credited meanwhile. */
  sourceOff: boolean;
  /** Every raw source: its name, the bits per byte it is credited now, bytes mixed, whether it answers OFF. */
  sources: SourceStatus[];
  error?: GateError;
}

export interface SourceStatus { name: string; rate: number; bytes: number; off: boolean }

/** A health-test alarm after the gate opened, as `onAlarm` reports it. */
export interface GateAlarm {
  /** The health test: "repetition-count" or "adaptive-proportion". */
  test: string;
  /** The raw source's name (board `trng.source`, `jitter.source`) and its index (0 = the TRNG, 1 = the second source). */
  source: string;
  sourceIndex: number;
  /** This alarm's number in this boot (1, 2). */
  count: number;
  /** True when this alarm fails the gate for good (`onFailure` follows); false: the source is re-tested. */
  fatal: boolean;
}

export interface EntropyGateOptions {
  trng: Trng;
  clock: Clock;
  board: BoardConfig;
  /** The saved boot seed (never credited); null or absent on a first boot or a board without one. */
  bootSeed?: SeedStore | null;
  /**
   * A second, independent raw source (timing jitter: hal/espruino/jitter.ts), credited at the
   * board's `jitter.bitsPerByte` and health-tested on its own; ignored when the board has no `jitter`.
   */
  jitter?: Trng | null;
}

export interface EntropyGate {
  /** Starts reading the TRNG. Calling it again does nothing. */
  start(): void;
  /** Stops reading (shutdown, tests). The state stays as it is. */
  stop(): void;
  status(): GateStatus;
  /** Calls `cb` once when the gate opens (at once if it is already open). */
  onReady(cb: () => void): void;
  /** Calls `cb` once on failure (at once if it has already failed). */
  onFailure(cb: (e: GateError) => void): void;
  /**
   * Calls `cb` at every health-test alarm after the gate opened (an alarm before it opens is a
   * failure, reported by `onFailure` only). A fatal alarm is reported before `onFailure`. A `cb`
   * that throws (the exception reaches the clock) neither stops the re-test nor the failure.
   */
  onAlarm(cb: (a: GateAlarm) => void): void;
  /**
   * `n` (1 … 1024) bytes from the seeded DRBG. With `predictionResistance`, the DRBG first reseeds
   * from 256 fresh pool bits (ENTROPY_NOT_READY while they are still gathering).
   */
  randomBytes(n: number, predictionResistance?: boolean): Uint8Array;
  /** Saves a fresh boot seed (shutdown, periodic); false when not ready or the store failed. */
  saveSeed(): boolean;
}

var GATE_PERSONALIZATION = "firstlight entropy gate v1";

interface Reader {
  trng: Trng;
  /** The pool's source id. */
  id: number;
  timer: number;
  busy: number;
  syncDone: boolean;
  inRead: boolean;
  off: boolean;
  /** The source alarmed after the gate opened (its re-test is running or passed). */
  alarmed: boolean;
}

export function createEntropyGate(opts: EntropyGateOptions): EntropyGate {
  if (!opts || !opts.trng || typeof opts.trng.read !== "function" || !opts.clock || typeof opts.clock.after !== "function" ||
    !opts.board || !opts.board.trng)
    fail("ENTROPY_BAD_CONFIG", "createEntropyGate needs { trng, clock, board }");
  var trng = opts.trng, clock = opts.clock, board = opts.board, store = opts.bootSeed || null;
  var bpb = board.trng.bitsPerByte;
  var gb = board.entropy && typeof board.entropy.gateBits === "number" ? board.entropy.gateBits : 0;
  var needed = gb > MIN_GATE_BITS ? Math.ceil(gb) : MIN_GATE_BITS;

  var pool = new EntropyPool(Math.ceil(needed / POOL_BLOCK_BITS));
  var readers: Reader[] = [reader(trng, pool.addSource(board.trng.source !== undefined ? board.trng.source : "trng", bpb))];
  var jb = board.jitter && opts.jitter && typeof opts.jitter.read === "function" ? board.jitter : null;
  if (jb !== null) readers.push(reader(opts.jitter as Trng, pool.addSource(jb.source !== undefined ? jb.source : "jitter", jb.bitsPerByte)));
  var seedId = pool.addSource("boot-seed", 0);
  var state: GateState = "gathering";
  var error: GateError | undefined;
  var started = false, stopped = false;
  var personalization: Uint8Array | null = null;
  var drbg = new HmacDrbg(function () {
    var b = pool.takeBlock();
    if (b === null) fail("ENTROPY_DRBG_RESEED_REQUIRED", "reseed due but fresh entropy is still gathering");
    return b as Uint8Array;
  });
  var lastReseed = 0, lastSeedSave = 0, alarms = 0;
  var readyCbs: (() => void)[] = [], failCbs: ((e: GateError) => void)[] = [], alarmCbs: ((a: GateAlarm) => void)[] = [];

  /** One raw source's read loop: its own pacing, BUSY/OFF handling and alarm history. */
  function reader(t: Trng, id: number): Reader {
    return { trng: t, id: id, timer: -1, busy: 0, syncDone: false, inRead: false, off: false, alarmed: false };
  }

  function schedule(r: Reader, ms: number): void {
    if (stopped || state === "failed") return;
    r.timer = clock.after(ms, function () { readChunk(r); });
  }

  function readChunk(r: Reader): void {
    r.timer = -1;
    if (stopped || state === "failed") return;
    r.syncDone = false;
    r.inRead = true;
    r.trng.read(GATHER_CHUNK, function (err: HalError | null, bytes?: Uint8Array) { onSamples(r, err, bytes); });
    r.inRead = false;
    // A driver that completed synchronously is paced through the clock: no recursion, and the
    // event loop (button, link) runs between chunks.
    if (r.syncDone) schedule(r, state === "ready" ? BACKGROUND_MS : 0);
  }

  function retry(r: Reader, ms: number): void {
    if (r.inRead) r.syncDone = false;
    r.timer = clock.after(ms, function () { readChunk(r); });
  }

  function onSamples(r: Reader, err: HalError | null, bytes?: Uint8Array): void {
    if (stopped || state === "failed") return;
    var name = pool.sources[r.id].name;
    if (err === "BUSY" && ++r.busy <= BUSY_RETRIES) return retry(r, BUSY_RETRY_MS);
    r.busy = 0;
    r.off = err === "OFF";
    if (r.off) return retry(r, OFF_RETRY_MS);
    if (err !== null) return failed({ code: "ENTROPY_SOURCE_FAILED", message: "the raw source " + name + " reported " + err, hal: err });
    if (!(bytes instanceof Uint8Array) || bytes.length < 1 || bytes.length > GATHER_CHUNK)
      return failed({ code: "ENTROPY_SOURCE_FAILED", message: "the raw source " + name + " returned a malformed sample buffer", hal: "SIZE" });
    var bad = pool.mix(r.id, bytes), a: GateAlarm | null = null;
    if (bad !== null) {
      var ht = pool.sources[r.id].health;
      var test = ht !== null && ht.failure !== null ? ht.failure : undefined;
      var e: GateError = { code: "ENTROPY_SOURCE_FAILED", message: "SP 800-90B health test failed on " + bad, test: test };
      if (state !== "ready") return failed(e);
      a = alarm(r, test || "");
      if (a.fatal) {
        e.message += " (alarm " + a.count + " since the gate opened)";
        // A callback that throws never keeps a fatal alarm from failing the gate.
        try {
          reportAlarm(a);
        } finally {
          failed(e);
        }
        return;
      }
    }
    if (state === "gathering") {
      if (pool.blocks.length * POOL_BLOCK_BITS >= needed) open();
    } else maybeReseed();
    if (r.inRead) r.syncDone = true;
    else schedule(r, state === "ready" ? BACKGROUND_MS : 0);
    // Reported once the next read is scheduled: a callback that throws never stops the re-test.
    if (a !== null) reportAlarm(a);
  }

  function reportAlarm(a: GateAlarm): void {
    var cbs = alarmCbs;
    for (var i = 0; i < cbs.length; i++) cbs[i](a);
  }

  /** True while a source is being re-tested after an alarm. */
  function retesting(r: Reader): boolean {
    var ht = pool.sources[r.id].health;
    return r.alarmed && ht !== null && ht.assessed === 0;
  }

  function anyRetesting(): boolean {
    for (var i = 0; i < readers.length; i++) if (retesting(readers[i])) return true;
    return false;
  }

  /**
   * A health alarm on a source after the gate opened: the first of the boot re-tests the source
   * (the pool drops every credited bit not yet used, whichever source earned it); any later one is
   * fatal (the caller fails the gate). The caller reports it to every `onAlarm` callback.
   */
  function alarm(r: Reader, test: string): GateAlarm {
    alarms++;
    var fatal = alarms > MAX_ALARMS_PER_BOOT;
    if (!fatal) {
      r.alarmed = true;
      pool.recover();
    }
    return { test: test, source: pool.sources[r.id].name, sourceIndex: readers.indexOf(r), count: alarms, fatal: fatal };
  }

  function cancelReads(): void {
    for (var i = 0; i < readers.length; i++) {
      if (readers[i].timer >= 0) clock.cancel(readers[i].timer);
      readers[i].timer = -1;
    }
  }

  /** §8.6.7 / SP 800-90C: entropy input = the credited blocks (≥ gateBits), nonce = one more pool output. */
  function open(): void {
    var blocks = pool.blocks, entropy = concatBytes(blocks), nonce = pool.extract(), i;
    for (i = 0; i < blocks.length; i++) wipe(blocks[i]);
    pool.blocks = [];
    // From now on the pool holds one block at a time: the next reseed.
    pool.maxBlocks = 1;
    drbg.instantiate(entropy, nonce, personalization);
    wipe(entropy);
    wipe(nonce);
    wipePersonalization();
    lastReseed = clock.now();
    state = "ready";
    saveSeedNow();
    var cbs = readyCbs;
    readyCbs = [];
    for (i = 0; i < cbs.length; i++) cbs[i]();
  }

  function maybeReseed(): void {
    if (pool.blocks.length > 0 && clock.now() - lastReseed >= RESEED_MS) {
      var e = pool.takeBlock() as Uint8Array;
      drbg.reseed(e, null);
      wipe(e);
      lastReseed = clock.now();
      if (lastReseed - lastSeedSave >= SEED_SAVE_MS) saveSeedNow();
    }
  }

  function saveSeedNow(): boolean {
    if (state !== "ready" || !store) return false;
    var s = drbg.generate(BOOT_SEED_BYTES);
    lastSeedSave = clock.now();
    var ok = saveBootSeed(store, s);
    wipe(s);
    return ok;
  }

  /** The boot seed's mix is needed only to instantiate the DRBG: wiped on every way out of gathering. */
  function wipePersonalization(): void {
    if (personalization !== null) wipe(personalization);
    personalization = null;
  }

  function failed(e: GateError): void {
    state = "failed";
    error = e;
    cancelReads();
    wipePersonalization();
    drbg.uninstantiate();
    pool.destroy();
    var cbs = failCbs;
    failCbs = [];
    readyCbs = [];
    alarmCbs = [];
    for (var i = 0; i < cbs.length; i++) cbs[i](e);
  }

  function credited(): number {
    if (state === "ready") return needed;
    var c = pool.credited();
    return c < needed ? c : needed;
  }

  return {
    start: function () {
      if (started) return;
      started = true;
      stopped = false;
      if (!(bpb > 0) && !(jb !== null && jb.bitsPerByte > 0)) {
        failed({ code: "ENTROPY_NO_SOURCE", message: "board " + board.name + " credits its TRNG 0 bits per byte and has no other credited source: it cannot generate keys" });
        return;
      }
      var seed = takeBootSeed(store);
      var label: Uint8Array = new Uint8Array(GATE_PERSONALIZATION.length);
      for (var i = 0; i < label.length; i++) label[i] = GATE_PERSONALIZATION.charCodeAt(i);
      if (seed !== null) {
        pool.mix(seedId, seed);
        personalization = concatBytes([label, seed]);
        wipe(seed);
      } else personalization = label;
      for (var k = 0; k < readers.length; k++) schedule(readers[k], 0);
    },
    stop: function () {
      stopped = true;
      cancelReads();
      wipePersonalization();
    },
    status: function () {
      var list: SourceStatus[] = [];
      for (var i = 0; i < readers.length; i++) {
        var src = pool.sources[readers[i].id];
        list.push({ name: src.name, rate: pool.rate(readers[i].id), bytes: src.bytes, off: readers[i].off });
      }
      var s: GateStatus = {
        state: state, credited: credited(), needed: needed, alarms: alarms, retesting: state === "ready" && anyRetesting(),
        sourceOff: readers[0].off, sources: list,
      };
      if (error) s.error = error;
      return s;
    },
    onReady: function (cb) {
      if (state === "ready") cb();
      else if (state === "gathering") readyCbs.push(cb);
    },
    onFailure: function (cb) {
      if (state === "failed") cb(error as GateError);
      else failCbs.push(cb);
    },
    onAlarm: function (cb) {
      if (state !== "failed") alarmCbs.push(cb);
    },
    randomBytes: function (n, predictionResistance) {
      if (state === "failed") {
        var e = error as GateError;
        fail(e.code, e.message);
      }
      if (state !== "ready") fail("ENTROPY_NOT_READY", "entropy gate still gathering: " + credited() + " of " + needed + " bits credited");
      if (predictionResistance && pool.blocks.length === 0)
        fail("ENTROPY_NOT_READY", "prediction resistance needs " + POOL_BLOCK_BITS + " fresh bits; " + pool.fresh + " gathered");
      return drbg.generate(n, null, !!predictionResistance);
    },
    saveSeed: saveSeedNow,
  };
}
