/**
 * Simulated NOR flash with power-cut injection: the emulated block device the store's power-loss
 * sweeps run on (on Node and, bundled into the self-test runner, on the device engines). ES5.
 *
 * NOR rules as in hal/flash.ts: erase sets a page to 0xFF, program only clears bits (BITS
 * otherwise), addresses and lengths are multiples of `writeSize` (ALIGN), a program stays inside
 * one page (SIZE). `programOnce` additionally models ECC flash (STM32L4/G0-class, nRF's nWRITE
 * limit): a write unit may be programmed once per erase, except with all zeros.
 *
 * Power cuts: `cutPowerAfter(n)` interrupts the n-th program/erase from now (n = 1: the next
 * one). The interrupted operation may leave a torn result; then that call and every later call
 * (reads included) throw `PowerCut`, so synchronous firmware unwinds exactly as if the power died.
 * `restorePower()` (or a new SimFlash over `image()`) is the reboot.
 */
import type { Flash } from "../flash";
import type { HalError } from "../errors";
import { eraseError, programError, readInRange, setsBits } from "../nor-rules";
import { view } from "../../firmware/crypto/bytes";

/** What an interrupted operation leaves behind. */
export type TornMode = "none" | "prefix" | "random-bits";

export interface PowerCut extends Error {
  /** The operation number (as counted by `opCount`) that was interrupted. */
  op: number;
  powerCut: true;
}

/**
 * The exception a simulated power cut throws (a real cut does not return at all): an Error with
 * `powerCut` set, built by a function rather than a constructor so the Lua build compiles it too.
 */
export function powerCut(op: number): PowerCut {
  var e = new Error("power cut during flash operation " + op) as PowerCut;
  e.name = "PowerCut";
  e.op = op;
  e.powerCut = true;
  return e;
}

export function isPowerCut(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as PowerCut).powerCut === true;
}

export interface SimFlashOptions {
  pageSize: number;
  pageCount: number;
  /** Write granularity: 1, 2, 4, 8 or 16. */
  writeSize: number;
  /** ECC flash: each write unit programmed at most once per erase (all-zero overwrite allowed). */
  programOnce?: boolean;
  /** Seed of the generator that decides torn writes (deterministic sweeps). */
  seed?: number;
}

export class SimFlash implements Flash {
  readonly pageSize: number;
  readonly pageCount: number;
  readonly writeSize: number;
  private mem: Uint8Array;
  private erases: Uint32Array;
  private programOnce: boolean;
  private ops = 0;
  private cutAt = 0;
  private torn: TornMode = "none";
  private dead = false;
  private rng: number;

  constructor(opts: SimFlashOptions) {
    var ws = opts.writeSize;
    if (!(ws === 1 || ws === 2 || ws === 4 || ws === 8 || ws === 16) || opts.pageSize % ws !== 0 || opts.pageSize < 16 || opts.pageCount < 1)
      throw new Error("SimFlash: bad geometry");
    this.pageSize = opts.pageSize;
    this.pageCount = opts.pageCount;
    this.writeSize = ws;
    this.programOnce = !!opts.programOnce;
    var seed = opts.seed !== undefined && opts.seed !== 0 ? opts.seed >>> 0 : 0x2545f491;
    this.rng = seed !== 0 ? seed : 1;
    this.mem = new Uint8Array(opts.pageSize * opts.pageCount);
    for (var i = 0; i < this.mem.length; i++) this.mem[i] = 0xff;
    this.erases = new Uint32Array(opts.pageCount);
  }

  read(addr: number, length: number): Uint8Array | null {
    this.alive();
    if (!readInRange(addr, length, this.mem.length)) return null;
    var out = new Uint8Array(length);
    out.set(view(this.mem, addr, addr + length));
    return out;
  }

  program(addr: number, bytes: Uint8Array): HalError | null {
    this.alive();
    var n = bytes.length, ws = this.writeSize, mem = this.mem, i: number;
    var bad = programError(addr, n, this.pageSize, ws, mem.length);
    if (bad !== null) return bad;
    if (setsBits(bytes, mem, addr)) return "BITS";
    if (this.programOnce) {
      for (var u = 0; u < n; u += ws) {
        var erased = true, zero = true;
        for (i = u; i < u + ws; i++) {
          if (mem[addr + i] !== 0xff) erased = false;
          if (bytes[i] !== 0) zero = false;
        }
        if (!erased && !zero) return "BITS";
      }
    }
    if (this.step()) {
      if (this.torn === "prefix") {
        var k = ((this.next() << 8) | this.next()) % (n + 1);
        for (i = 0; i < k; i++) mem[addr + i] &= bytes[i];
      } else if (this.torn === "random-bits") {
        for (i = 0; i < n; i++) mem[addr + i] &= bytes[i] | this.next();
      }
      throw powerCut(this.ops);
    }
    for (i = 0; i < n; i++) mem[addr + i] &= bytes[i];
    return null;
  }

  erase(page: number): HalError | null {
    this.alive();
    var bad = eraseError(page, this.pageCount);
    if (bad !== null) return bad;
    var base = page * this.pageSize, P = this.pageSize, mem = this.mem, i: number;
    this.erases[page]++;
    if (this.step()) {
      if (this.torn === "prefix") {
        var k = ((this.next() << 8) | this.next()) % (P + 1);
        for (i = 0; i < k; i++) mem[base + i] = 0xff;
      } else if (this.torn === "random-bits") {
        for (i = 0; i < P; i++) mem[base + i] |= this.next();
      }
      throw powerCut(this.ops);
    }
    for (i = 0; i < P; i++) mem[base + i] = 0xff;
    return null;
  }

  /** Interrupts the n-th program/erase from now (n ≥ 1), leaving a torn result as `torn` says. */
  cutPowerAfter(n: number, opts?: { torn?: TornMode }): void {
    if (!(n >= 1) || n % 1 !== 0) throw new Error("cutPowerAfter: n must be an integer ≥ 1");
    this.cutAt = this.ops + n;
    this.torn = opts !== undefined && opts.torn !== undefined ? opts.torn : "none";
  }

  /** Cancels a pending cut. */
  cancelCut(): void {
    this.cutAt = 0;
  }

  /** The reboot after a cut: the flash keeps its contents and answers again. */
  restorePower(): void {
    this.dead = false;
    this.cutAt = 0;
  }

  isPoweredOff(): boolean {
    return this.dead;
  }

  /** Program and erase operations started so far (the interrupted one included). */
  opCount(): number {
    return this.ops;
  }

  /** A copy of the whole area (works after a cut: it is the dump of the chip). */
  image(): Uint8Array {
    var out = new Uint8Array(this.mem.length);
    out.set(this.mem);
    return out;
  }

  /** Replaces the contents (e.g. a saved image, or an attacker's edited copy). */
  load(bytes: Uint8Array): void {
    if (bytes.length !== this.mem.length) throw new Error("SimFlash.load: image is " + bytes.length + " bytes, want " + this.mem.length);
    this.mem.set(bytes);
  }

  /** Erases per page since this object was made (or `setEraseCounts`). */
  eraseCounts(): number[] {
    var out: number[] = [];
    for (var i = 0; i < this.pageCount; i++) out.push(this.erases[i]);
    return out;
  }

  setEraseCounts(counts: number[]): void {
    for (var i = 0; i < this.pageCount; i++) this.erases[i] = counts[i] !== undefined ? counts[i] : 0;
  }

  private alive(): void {
    if (this.dead) throw powerCut(this.ops);
  }

  /** Counts one operation; true when it is the one the power dies in. */
  private step(): boolean {
    this.ops++;
    if (this.cutAt !== 0 && this.ops >= this.cutAt) {
      this.dead = true;
      this.cutAt = 0;
      return true;
    }
    return false;
  }

  /** xorshift32: deterministic torn patterns, one byte per call. */
  private next(): number {
    var x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return (x >>> 8) & 0xff;
  }
}
