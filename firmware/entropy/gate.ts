/**
 * The entropy gate: the only way firmware gets random bytes for keys.
 *
 *   gathering ──(≥ gateBits credited since boot)──▶ ready ──(one health alarm)──▶ ready, re-testing
 *       │                                            │  ◀──(STARTUP_SAMPLES pass)──┘      │
 *       └──(health test fails / TRNG error)──▶ failed ◀┘◀──(alarm while re-testing, or within
 *                                          (sticky until reboot)   RECOVERY_WINDOW of the last)
 *
 * Once open, a single health-test alarm is not a failure: at α = 2^-40 it is almost surely a false
 * alarm, or the first sign of a source going bad. The gate drops every credited bit not yet used,
 * stops reseeding, and re-tests the source on STARTUP_SAMPLES fresh samples (credited nothing); the
 * DRBG, seeded before the alarm, keeps serving requests without prediction resistance meanwhile.
 * A second alarm during the re-test, or within RECOVERY_WINDOW samples of the previous one, fails
 * the gate for good (docs/entropy.md, "Alarms after the gate opened").
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
/** A second health alarm within this many samples of the previous one fails the gate for good. */
export var RECOVERY_WINDOW = 1 << 20;
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
  /** Health-test alarms after the gate opened (each followed by a re-test). */
  alarms: number;
  /** True while the source is re-tested after an alarm (no reseed, no prediction resistance). */
  retesting: boolean;
  /** True while the TRNG answers OFF (e.g. the ESP32 radio is off): nothing is credited meanwhile. */
  sourceOff: boolean;
  error?: GateError;
}

export interface EntropyGateOptions {
  trng: Trng;
  clock: Clock;
  board: BoardConfig;
  /** The saved boot seed (never credited); null or absent on a first boot or a board without one. */
  bootSeed?: SeedStore | null;
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
   * `n` (1 … 1024) bytes from the seeded DRBG. With `predictionResistance`, the DRBG first reseeds
   * from 256 fresh pool bits (ENTROPY_NOT_READY while they are still gathering).
   */
  randomBytes(n: number, predictionResistance?: boolean): Uint8Array;
  /** Saves a fresh boot seed (shutdown, periodic); false when not ready or the store failed. */
  saveSeed(): boolean;
}

var GATE_PERSONALIZATION = "firstlight entropy gate v1";

export function createEntropyGate(opts: EntropyGateOptions): EntropyGate {
  if (!opts || !opts.trng || typeof opts.trng.read !== "function" || !opts.clock || typeof opts.clock.after !== "function" ||
    !opts.board || !opts.board.trng)
    fail("ENTROPY_BAD_CONFIG", "createEntropyGate needs { trng, clock, board }");
  var trng = opts.trng, clock = opts.clock, board = opts.board, store = opts.bootSeed || null;
  var bpb = board.trng.bitsPerByte;
  var gb = board.entropy && typeof board.entropy.gateBits === "number" ? board.entropy.gateBits : 0;
  var needed = gb > MIN_GATE_BITS ? Math.ceil(gb) : MIN_GATE_BITS;

  var pool = new EntropyPool(Math.ceil(needed / POOL_BLOCK_BITS));
  var trngId = pool.addSource(board.trng.source || "trng", bpb);
  var seedId = pool.addSource("boot-seed", 0);
  var state: GateState = "gathering";
  var error: GateError | undefined;
  var started = false, stopped = false, timer = -1, busy = 0, syncDone = false, inRead = false;
  var personalization: Uint8Array | null = null;
  var drbg = new HmacDrbg(function () {
    var b = pool.takeBlock();
    if (b === null) fail("ENTROPY_DRBG_RESEED_REQUIRED", "reseed due but fresh entropy is still gathering");
    return b as Uint8Array;
  });
  var lastReseed = 0, lastSeedSave = 0, alarms = 0, alarmAt = -1, off = false;
  var readyCbs: (() => void)[] = [], failCbs: ((e: GateError) => void)[] = [];

  function schedule(ms: number): void {
    if (stopped || state === "failed") return;
    timer = clock.after(ms, readChunk);
  }

  function readChunk(): void {
    timer = -1;
    if (stopped || state === "failed") return;
    syncDone = false;
    inRead = true;
    trng.read(GATHER_CHUNK, onSamples);
    inRead = false;
    // A driver that completed synchronously is paced through the clock: no recursion, and the
    // event loop (button, link) runs between chunks.
    if (syncDone) schedule(state === "ready" ? BACKGROUND_MS : 0);
  }

  function onSamples(err: HalError | null, bytes?: Uint8Array): void {
    if (stopped || state === "failed") return;
    if (err === "BUSY" && ++busy <= BUSY_RETRIES) {
      if (inRead) syncDone = false;
      timer = clock.after(BUSY_RETRY_MS, readChunk);
      return;
    }
    busy = 0;
    off = err === "OFF";
    if (off) {
      if (inRead) syncDone = false;
      timer = clock.after(OFF_RETRY_MS, readChunk);
      return;
    }
    if (err !== null) return failed({ code: "ENTROPY_SOURCE_FAILED", message: "the TRNG reported " + err, hal: err });
    if (!(bytes instanceof Uint8Array) || bytes.length < 1 || bytes.length > GATHER_CHUNK)
      return failed({ code: "ENTROPY_SOURCE_FAILED", message: "the TRNG returned a malformed sample buffer", hal: "SIZE" });
    var bad = pool.mix(trngId, bytes);
    if (bad !== null && state === "ready" && recoverable(trngId)) bad = null;
    if (bad !== null) {
      var ht = pool.sources[trngId].health;
      return failed({
        code: "ENTROPY_SOURCE_FAILED",
        message: "SP 800-90B health test failed on " + bad,
        test: ht !== null && ht.failure !== null ? ht.failure : undefined,
      });
    }
    if (state === "gathering") {
      if (pool.blocks.length * POOL_BLOCK_BITS >= needed) open();
    } else maybeReseed();
    if (inRead) syncDone = true;
    else schedule(state === "ready" ? BACKGROUND_MS : 0);
  }

  /** True while source `id` is being re-tested after an alarm. */
  function retesting(id: number): boolean {
    var ht = pool.sources[id].health;
    return alarmAt >= 0 && ht !== null && ht.assessed === 0;
  }

  /**
   * An alarm on source `id` after the gate opened: re-test it (true), unless it alarmed again while
   * re-testing or within RECOVERY_WINDOW samples of the previous alarm (false: a real failure).
   */
  function recoverable(id: number): boolean {
    var src = pool.sources[id];
    if (retesting(id) || (alarmAt >= 0 && src.bytes - alarmAt < RECOVERY_WINDOW)) return false;
    alarms++;
    alarmAt = src.bytes;
    pool.recover();
    return true;
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
    if (personalization !== null) wipe(personalization);
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

  function failed(e: GateError): void {
    state = "failed";
    error = e;
    if (timer >= 0) clock.cancel(timer);
    timer = -1;
    drbg.uninstantiate();
    pool.destroy();
    var cbs = failCbs;
    failCbs = [];
    readyCbs = [];
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
      if (!(bpb > 0)) {
        failed({ code: "ENTROPY_NO_SOURCE", message: "board " + board.name + " credits its TRNG 0 bits per byte: it cannot generate keys" });
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
      schedule(0);
    },
    stop: function () {
      stopped = true;
      if (timer >= 0) clock.cancel(timer);
      timer = -1;
    },
    status: function () {
      var s: GateStatus = { state: state, credited: credited(), needed: needed, alarms: alarms, retesting: state === "ready" && retesting(trngId), sourceOff: off };
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
