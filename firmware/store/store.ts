/**
 * The credential store (docs/flash-format.md): a log of sealed records over NOR pages, one key
 * page, one spare page kept for garbage collection. Flash is the only truth: everything here is
 * rebuilt from it at mount (and after every garbage collection). Synchronous, like the Flash HAL.
 */
import type { Flash } from "../../hal/flash";
import { copyBytes, ctEqual, utf8Decode, utf8Encode, wipe, view } from "../crypto/bytes";
import { fail } from "../errors";
import {
  COMMIT, KEY_ROTATED, KIND_PUT, KIND_TOMBSTONE, MAX_NAME, MAX_VERSION, PAGE_HEADER, PART_B, REC_HEADER, SEED_DERIVED,
  SEED_RANDOM, SHRED_MARK, SLOT, SLOT_A, SLOT_B, TYPE_DATA, TYPE_KEY, UNIT,
  checkRecordHeader, commitUnit, decodeSlot, encodePartA, encodePartB, encodeRecordHeader, encodeSlot, erasedBytes,
  IN_USE_MARK, maxValueBytes, type KeySlot, recordSize, roundUnit, sealedLength,
} from "./format";
import { openRecord, sealRecord } from "./seal";
import { deriveKeys, derivedSeed, nameTag, randomSeed, wipeKeys, type StoreKeys } from "./keys";
import { PG_BLANK, PG_DATA, PG_DIRTY, PG_FREE, PG_KEY, hex, scanWindow, type ScannedRecord } from "./scan";
import { flashWindow, type PageWindow } from "./window";

/** Static wear levelling moves the coldest data page when erase counts differ by more than this. */
export var WEAR_SPREAD = 8;

export interface StoreOptions {
  /** Random bytes for the key page's seed (the entropy gate's DRBG). Without it the seed is derived from the root. */
  random?: (n: number) => Uint8Array;
  /** A version the caller saw earlier (kept outside this flash): a store whose newest authentic record is older is a rollback. */
  minVersion?: number;
  /** Start over (erase everything) when the key page is lost and the data cannot be read any more. */
  reformat?: boolean;
  /**
   * The caller never removes its last record (the board store keeps the boot seed): a used key
   * page under which no committed record authenticates is then STORE_ERASED even when a data page
   * header is there (headers are only CRC'd and can be forged, §5). Without it only a used key
   * page with no data page at all is, since a store emptied by `remove` is legitimate.
   */
  neverEmptied?: boolean;
}

export interface StoreProblem {
  code: string;
  page: number;
  offset: number;
  note: string;
}

export interface StoreStats {
  pageSize: number;
  pageCount: number;
  keyPage: number;
  dataPages: number;
  sparePages: number;
  generation: number;
  /** The store-wide version counter (the last version written). */
  version: number;
  seedSource: string;
  keyCount: number;
  records: number;
  liveBytes: number;
  usedBytes: number;
  capacityBytes: number;
  maxValueBytes: number;
  eraseCounts: number[];
  eraseMax: number;
  eraseMin: number;
  eraseMean: number;
  /** Damaged record spans seen by the last scan (reported in `problems`; everything else stays readable). */
  damaged: number;
  /** Interrupted writes seen by the last scan (power cuts: expected, ignored). */
  torn: number;
  /** Records of an earlier generation still on flash (unreadable; reclaimed by GC). */
  stale: number;
  problems: StoreProblem[];
}

/** A committed record. */
interface Rec {
  page: number;
  off: number;
  size: number;
  kind: number;
  version: number;
}

/** What one page holds of one name tag: O(pages) per key in RAM, however many records are on flash. */
interface Held {
  page: number;
  /** Records of the tag on the page, committed or not. */
  n: number;
  /** The committed record with the highest version on the page, or null. */
  best: Rec | null;
}

interface Entry {
  tag: string;
  held: Held[];
  /** The committed record with the highest version (the newer page on a tie), or null. */
  win: Rec | null;
}

interface Page {
  state: number;
  /** Data pages: sequence; key pages: generation. */
  value: number;
  /** Data pages: the version counter when the page was opened. */
  floor: number;
  end: number;
  /** Records on the page (any generation, committed or not). */
  count: number;
  /** The highest version the page shows: its floor, or a current-generation header. */
  evidence: number;
  shredMark: boolean;
  hasSlot: boolean;
  /** Key pages: written by a key rotation (part B floor = KEY_ROTATED). */
  rotation: boolean;
  /** Key pages: the in-use mark is programmed (a record has been written under it, §3). */
  inUse: boolean;
  /** A page of another format version (0: none). */
  otherFormat: number;
  /** Records (committed or not) of any generation other than the one a rotation moves to (§9: its victims). */
  old: number;
  /** During a key rotation: committed records of the generation it moves to. */
  rotLive: number;
}

function checkName(name: string): Uint8Array {
  if (typeof name !== "string") fail("STORE_BAD_INPUT", "a name must be a string");
  var b = utf8Encode(name);
  if (b.length < 1 || b.length > MAX_NAME) fail("STORE_BAD_INPUT", "a name must be 1 … " + MAX_NAME + " bytes of UTF-8, got " + b.length);
  return b;
}

export class Store {
  private flash: Flash;
  private P: number;
  private N: number;
  private root: Uint8Array;
  private random: ((n: number) => Uint8Array) | null;
  private sk: StoreKeys | null = null;
  private generation = 0;
  private seedSource = SEED_DERIVED;
  private keyPage = -1;
  private version = 0;
  private maxSeq = 0;
  private erases: number[] = [];
  private pages: Page[] = [];
  private byTag: { [tag: string]: Entry } = {};
  private nameCache: { [tag: string]: string } = {};
  private damaged = 0;
  private torn = 0;
  private stale = 0;
  private problems: StoreProblem[] = [];
  private maxValue: number;
  /** A data page holding records of a newer generation than the key page (-1: none). */
  private newerGen = -1;
  /** During a key rotation (§9): the generation being moved to, its key page, and per name tag of that generation the highest committed version. */
  private rotGen = -1;
  private rotKp = -1;
  private rotWin: { [tag: string]: number } = {};

  constructor(flash: Flash, root: Uint8Array, opts: StoreOptions) {
    if (!flash || typeof flash.read !== "function") fail("STORE_BAD_INPUT", "flash must be a Flash");
    if (!(root instanceof Uint8Array) || root.length !== 32) fail("STORE_BAD_INPUT", "root must be 32 bytes");
    if (UNIT % flash.writeSize !== 0) fail("STORE_BAD_INPUT", "write size " + flash.writeSize + " does not divide the 8-byte unit");
    if (flash.pageCount < 3) fail("STORE_BAD_INPUT", "the store needs at least 3 pages (key, data, spare)");
    if (flash.pageSize < 256 || flash.pageSize > 65536 || flash.pageSize % UNIT !== 0) fail("STORE_BAD_INPUT", "page size " + flash.pageSize + " is not supported");
    if (opts.random !== undefined && typeof opts.random !== "function") fail("STORE_BAD_INPUT", "options.random must be a function");
    this.flash = flash;
    this.P = flash.pageSize;
    this.N = flash.pageCount;
    this.root = copyBytes(root);
    this.random = opts.random || null;
    this.maxValue = maxValueBytes(this.P);
    try {
      this.mount(opts);
    } catch (e) {
      // No store object reaches the caller: the keys and the root copy must not outlive the error.
      this.close();
      throw e;
    }
  }

  // ---- public API -------------------------------------------------------------------------

  get(name: string): Uint8Array | null {
    var nb = checkName(name), e = this.byTag[this.tagOf(nb)];
    if (!e || !e.win) return null;
    var pt = this.open(e.win);
    if (pt === null || pt[0] !== nb.length || !sameBytes(pt, 1, nb)) {
      if (pt) wipe(pt);
      return fail("STORE_AUTH", "the newest record of '" + name + "' does not authenticate (page " + e.win.page + ", offset " + e.win.off + ")");
    }
    if (e.win.kind === KIND_TOMBSTONE) {
      wipe(pt);
      return null;
    }
    var v = new Uint8Array(pt.length - 1 - nb.length);
    v.set(view(pt, 1 + nb.length));
    wipe(pt);
    return v;
  }

  put(name: string, value: Uint8Array): void {
    var nb = checkName(name);
    if (!(value instanceof Uint8Array)) fail("STORE_BAD_INPUT", "a value must be a Uint8Array");
    if (value.length > this.maxValue) fail("STORE_TOO_LARGE", "a value may be at most " + this.maxValue + " bytes, got " + value.length);
    this.append(nb, KIND_PUT, value);
  }

  /** destroy(name): a tombstone, then every page holding an older record of the name is collected and erased. */
  remove(name: string): boolean {
    var nb = checkName(name), tag = this.tagOf(nb), e = this.byTag[tag];
    if (!e || e.held.length === 0) return false;
    var existed = !!e.win && e.win.kind === KIND_PUT;
    if (e.win === null || e.win.kind !== KIND_TOMBSTONE) this.append(nb, KIND_TOMBSTONE, null);
    this.purge(tag);
    return existed;
  }

  names(): string[] {
    var out: string[] = [];
    for (var tag in this.byTag) {
      if (!this.byTag.hasOwnProperty(tag)) continue;
      var w = this.byTag[tag].win;
      if (!w || w.kind !== KIND_PUT) continue;
      var n = this.nameCache[tag];
      if (n === undefined) {
        var pt = this.open(w);
        if (pt === null || pt[0] < 1 || pt[0] > MAX_NAME || pt.length < 1 + pt[0]) {
          if (pt) wipe(pt);
          this.problem("STORE_AUTH", w.page, w.off, "record does not authenticate");
          continue;
        }
        n = utf8Decode(view(pt, 1, 1 + pt[0]));
        wipe(pt);
        this.nameCache[tag] = n;
      }
      out.push(n);
    }
    return out.sort();
  }

  /** Gives a store mounted before any random source existed (the entropy gate) its source: later key pages take random seeds. */
  useRandom(random: (n: number) => Uint8Array): void {
    if (typeof random !== "function") fail("STORE_BAD_INPUT", "random must be a function");
    this.random = random;
  }

  /**
   * Crypto-shred (§4): shred mark, zeros over both key slots (from here nothing on flash can be
   * decrypted), erase of every other page, a new key page of the next generation, erase of the old.
   */
  shred(): void {
    this.needKeys();
    var kp = this.keyPage, base = kp * this.P;
    this.program(base + SHRED_MARK, new Uint8Array(UNIT));
    this.program(base + SLOT_A, new Uint8Array(SLOT));
    this.program(base + SLOT_B, new Uint8Array(SLOT));
    wipeKeys(this.sk);
    this.sk = null;
    this.nameCache = {};
    this.pages[kp].shredMark = true;
    this.pages[kp].hasSlot = false;
    this.resumeShred(this.generation);
    this.rescan();
    this.mountKeys({});
  }

  /**
   * Storage-key rotation (§9): a new key page of generation + 1 with a new seed (marked as a
   * rotation), every live record re-sealed under the new keys (same version, same value) onto
   * pages holding only new-generation records, each old page erased once its live records exist
   * re-sealed, then the old key page erased. A cut anywhere is finished by the next mount.
   */
  rotateKey(): void {
    this.needKeys();
    var tag: string, e: Entry;
    // Unfinished destroys first: afterwards no tombstone is needed (no older record of its name is left).
    for (tag in this.byTag) if (this.byTag.hasOwnProperty(tag) && this.pendingPurge(this.byTag[tag])) this.purge(tag);
    for (tag in this.byTag) {
      if (!this.byTag.hasOwnProperty(tag)) continue;
      e = this.byTag[tag];
      if (!e.win || e.win.kind !== KIND_PUT) continue;
      var pt = this.open(e.win);
      if (pt === null) fail("STORE_AUTH", "record at page " + e.win.page + ", offset " + e.win.off + " does not authenticate: it cannot be re-sealed (nothing was changed)");
      wipe(pt);
    }
    this.makeSpares(3);
    var oldKp = this.keyPage, gen = this.generation + 1;
    if (gen > 0xffffffff) fail("STORE_FULL", "the generation counter is exhausted");
    var nkp = this.pickSpare(-1, false);
    var nk = this.formatKeyPage(nkp, gen, true);
    this.rotGen = gen;
    this.rotKp = nkp;
    this.pages[nkp].rotation = true;
    this.runRotation(nk);
    this.finishRotation(oldKp, nk, {});
  }

  /** Wipes the keys and the root copy held in RAM; the store cannot be used afterwards. */
  close(): void {
    wipeKeys(this.sk);
    this.sk = null;
    wipe(this.root);
    this.byTag = {};
    this.nameCache = {};
  }

  stats(): StoreStats {
    var data = 0, spare = 0, live = 0, used = 0, recs = 0, keys = 0, p: number;
    for (p = 0; p < this.N; p++) if (this.pages[p].state === PG_DATA) recs += this.pages[p].count;
    for (p = 0; p < this.N; p++) {
      var st = this.pages[p].state;
      if (st === PG_DATA) {
        data++;
        used += this.pages[p].end - PAGE_HEADER;
        live += this.liveOf(p);
      } else if (p !== this.keyPage) spare++;
    }
    for (var tag in this.byTag) {
      if (!this.byTag.hasOwnProperty(tag)) continue;
      var e = this.byTag[tag];
      if (e.win && e.win.kind === KIND_PUT) keys++;
    }
    var ec = this.erases.slice(), mx = 0, mn = ec[0], sum = 0;
    for (p = 0; p < ec.length; p++) {
      if (ec[p] > mx) mx = ec[p];
      if (ec[p] < mn) mn = ec[p];
      sum += ec[p];
    }
    return {
      pageSize: this.P, pageCount: this.N, keyPage: this.keyPage, dataPages: data, sparePages: spare,
      generation: this.generation, version: this.version, seedSource: this.seedSource === SEED_RANDOM ? "random" : "derived",
      keyCount: keys, records: recs, liveBytes: live, usedBytes: used, capacityBytes: this.capacity(), maxValueBytes: this.maxValue,
      eraseCounts: ec, eraseMax: mx, eraseMin: mn, eraseMean: sum / ec.length,
      damaged: this.damaged, torn: this.torn, stale: this.stale, problems: this.problems.slice(),
    };
  }

  // ---- mount and recovery (§5) --------------------------------------------------------------

  private mount(opts: StoreOptions): void {
    this.rescan();
    var kp = -1, dead = -1, deadGen = -1, broken: number[] = [], p: number;
    for (p = 0; p < this.N; p++) {
      var fv = this.pages[p].otherFormat;
      if (fv === 0) continue;
      if (!opts.reformat) fail("STORE_OLD_FORMAT", "page " + p + " is in store format " + fv + ", this firmware reads format 2 only (open with reformat to start over; nothing was changed)");
      for (var q = 0; q < this.N; q++) if (this.pages[q].state !== PG_BLANK && this.pages[q].state !== PG_FREE) this.erasePage(q);
      this.rescan();
      break;
    }
    for (p = 0; p < this.N; p++) {
      var pg = this.pages[p];
      if (pg.state !== PG_KEY) continue;
      if (pg.shredMark) {
        if (pg.value > deadGen) { dead = p; deadGen = pg.value; }
      } else if (pg.hasSlot) {
        if (kp < 0 || pg.value > this.pages[kp].value) {
          if (kp >= 0) broken.push(kp);
          kp = p;
        } else broken.push(p);
      } else broken.push(p);
    }
    if (dead >= 0) {
      this.resumeShred(deadGen);
      this.rescan();
      return this.mountKeys(opts);
    }
    if (kp >= 0 && this.pages[kp].rotation) {
      // A rotation key page next to a valid key page of the generation before it: the rotation
      // was cut short. It is finished (§9): the old key page goes only once every record is re-sealed.
      for (var j = 0; j < broken.length; j++) {
        var ob = broken[j];
        if (this.pages[ob].hasSlot && this.pages[ob].value === this.pages[kp].value - 1) return this.resumeRotation(ob, kp, opts);
      }
    }
    for (var i = 0; i < broken.length; i++) {
      var b = broken[i];
      if (this.pages[b].hasSlot) this.problem("STORE_ROLLBACK", b, 0, "a key page of an older generation (" + this.pages[b].value + ") was left on flash");
      this.pages[b].state = PG_DIRTY; // erased when the allocator reuses it
    }
    if (kp < 0) {
      var gen = 0;
      for (var i = 0; i < broken.length; i++) if (this.pages[broken[i]].value > gen) gen = this.pages[broken[i]].value;
      if (this.hasRecords()) {
        if (!opts.reformat) fail("STORE_CORRUPT", "the key page is missing or damaged: the records on flash cannot be decrypted (open with reformat to start over)");
        gen++;
        for (p = 0; p < this.N; p++) if (this.pages[p].state !== PG_BLANK && this.pages[p].state !== PG_FREE) this.erasePage(p);
      } else {
        // No key page and pages that are neither erased nor readable: whatever the store held is gone.
        // One such page is what a first format cut short leaves (nothing was stored yet); a store
        // that held records had a key page and a data page, so two or more means a loss.
        var unreadable = 0;
        for (p = 0; p < this.N; p++) if (this.pages[p].state !== PG_BLANK && this.pages[p].state !== PG_FREE) unreadable++;
        if (unreadable > 1) this.problem("STORE_CORRUPT", -1, unreadable, "no key page and " + unreadable + " unreadable page(s): the store starts empty");
      }
      var fp = this.pickSpare(-1, false);
      if (fp < 0) fail("STORE_CORRUPT", "no page can hold a key page");
      this.formatKeyPage(fp, gen);
      this.rescan();
    } else this.keyPage = kp;
    this.mountKeys(opts);
  }

  /** Derives the keys from the key page, checks the root, indexes, finishes interrupted destroys. */
  private mountKeys(opts: StoreOptions): void {
    var kp = -1;
    for (var p = 0; p < this.N; p++) {
      var pg = this.pages[p];
      if (pg.state === PG_KEY && pg.hasSlot && !pg.shredMark && (kp < 0 || pg.value > this.pages[kp].value)) kp = p;
    }
    if (kp < 0) fail("STORE_IO", "no key page after formatting");
    var b = this.readSlots(kp), slot = slotOf(b, kp);
    var keys = deriveKeys(this.root, slot.seed);
    var ok = ctEqual(keys.check, slot.check);
    wipe(b);
    if (!ok) {
      wipeKeys(keys);
      fail("STORE_BAD_ROOT", "the root does not open this store (key check mismatch)");
    }
    this.sk = keys;
    this.keyPage = kp;
    this.generation = slot.generation;
    this.seedSource = slot.seedSource;
    this.version = 0;
    this.rescan();
    if (this.pages[kp].inUse && (opts.neverEmptied ? !this.anyRecordOpens() : !this.hasDataPage())) {
      // A record was committed under this key page, yet no data page is left: the data area was
      // erased behind the store's back. Not a fresh store: the key page is never written under again.
      if (!opts.reformat) {
        this.close();
        fail("STORE_ERASED", "the key page has been used but every data page is gone (erased outside the store): open with reformat to start a new generation");
      }
      this.problem("STORE_ERASED", kp, IN_USE_MARK, "data pages erased under a used key page: shredded to a new generation");
      return this.shred();
    }
    this.checkGenerations();
    if (opts.minVersion !== undefined) this.checkMinVersion(opts.minVersion);
    // Records under a key page without the mark: written by a key rotation (§9); marked now.
    if (this.version > 0) this.markInUse(kp);
    // Pages left dirty by a cut (a torn erase) may still hold old ciphertext: erase them now.
    for (var p = 0; p < this.N; p++) if (this.pages[p].state === PG_DIRTY) this.erasePage(p);
    var pending: string[] = [];
    for (var tag in this.byTag) if (this.byTag.hasOwnProperty(tag) && this.pendingPurge(this.byTag[tag])) pending.push(tag);
    for (var i = 0; i < pending.length; i++) {
      if (!this.byTag[pending[i]] || !this.pendingPurge(this.byTag[pending[i]])) continue;
      try {
        this.purge(pending[i]);
      } catch (err) {
        if ((err as { code?: string }).code !== "STORE_FULL") throw err;
        this.problem("STORE_FULL", -1, 0, "a destroy could not finish (no room); it is retried at the next mount");
      }
    }
  }

  private checkGenerations(): void {
    if (this.newerGen >= 0)
      fail("STORE_ROLLBACK", "page " + this.newerGen + " holds records of a newer generation than the key page (" + this.generation + ")");
  }

  private checkMinVersion(min: number): void {
    if (typeof min !== "number" || min < 0 || min % 1 !== 0) fail("STORE_BAD_INPUT", "options.minVersion must be a non-negative integer");
    if (min === 0) return;
    var all: Rec[] = [];
    for (var tag in this.byTag) {
      if (!this.byTag.hasOwnProperty(tag)) continue;
      var hs = this.byTag[tag].held;
      for (var i = 0; i < hs.length; i++) if (hs[i].best && (hs[i].best as Rec).version >= min) all.push(hs[i].best as Rec);
    }
    all.sort(function (a, b) { return b.version - a.version; });
    for (var j = 0; j < all.length; j++) {
      var pt = this.open(all[j]);
      if (pt !== null) {
        wipe(pt);
        return;
      }
    }
    fail("STORE_ROLLBACK", "no authentic record of version " + min + " or newer: the flash was rolled back (newest version " + this.version + ")");
  }

  /** Shred steps after the key slots are zeroed (also the recovery of an interrupted shred). */
  private resumeShred(deadGen: number): void {
    var p: number, fresh = -1;
    for (p = 0; p < this.N; p++) {
      var pg = this.pages[p];
      if (pg.state === PG_KEY && pg.hasSlot && !pg.shredMark && pg.value > deadGen) fresh = p;
    }
    for (p = 0; p < this.N; p++) {
      var st = this.pages[p].state;
      if (p === fresh || st === PG_BLANK || st === PG_FREE) continue;
      if (st === PG_KEY && this.pages[p].shredMark) continue;
      this.erasePage(p);
    }
    if (fresh < 0) this.formatKeyPage(this.pickSpare(-1, false), deadGen + 1); // every page but the old key page is free here
    for (p = 0; p < this.N; p++) if (this.pages[p].state === PG_KEY && this.pages[p].shredMark) this.erasePage(p);
  }

  /** Writes a key page of `generation` with a new seed on page p; returns its keys (the caller wipes them). */
  private formatKeyPage(p: number, generation: number, rotation?: boolean): StoreKeys {
    var seed = this.random ? randomSeed(this.random) : derivedSeed(this.root, generation);
    var keys = deriveKeys(this.root, seed);
    var slot = encodeSlot({ generation: generation, seedSource: this.random ? SEED_RANDOM : SEED_DERIVED, seed: seed, check: keys.check });
    wipe(seed);
    this.preparePage(p);
    this.program(p * this.P + PART_B, encodePartB(TYPE_KEY, generation, rotation ? KEY_ROTATED : 0));
    this.pages[p].state = PG_KEY;
    this.program(p * this.P + SLOT_A, slot);
    this.program(p * this.P + SLOT_B, slot);
    wipe(slot);
    return keys;
  }

  // ---- storage-key rotation (§9) ------------------------------------------------------------

  /** The keys of key page p, checked against the root (STORE_BAD_ROOT); the caller wipes them. */
  private keysOf(p: number): { derived: StoreKeys; generation: number; source: number } {
    var b = this.readSlots(p), slot = slotOf(b, p);
    var keys = deriveKeys(this.root, slot.seed), ok = ctEqual(keys.check, slot.check);
    var out = { derived: keys, generation: slot.generation, source: slot.seedSource };
    wipe(b);
    if (!ok) {
      wipeKeys(keys);
      fail("STORE_BAD_ROOT", "the root does not open this store (key check mismatch)");
    }
    return out;
  }

  /** Mount found a rotation cut short: old key page `op`, new key page `np`. */
  private resumeRotation(op: number, np: number, opts: StoreOptions): void {
    var old = this.keysOf(op), nk = this.keysOf(np).derived;
    this.sk = old.derived;
    this.keyPage = op;
    this.generation = old.generation;
    this.seedSource = old.source;
    this.rotGen = this.pages[np].value;
    this.rotKp = np;
    this.version = 0;
    this.runRotation(nk);
    this.finishRotation(op, nk, opts);
  }

  /** Every record is re-sealed: the old key page is erased (the commit point), then a normal mount. */
  private finishRotation(op: number, nk: StoreKeys, opts: StoreOptions): void {
    wipeKeys(nk);
    this.erasePage(op);
    wipeKeys(this.sk);
    this.sk = null;
    this.nameCache = {};
    this.rotGen = this.rotKp = -1;
    this.rotWin = {};
    this.keyPage = -1;
    this.rescan();
    this.mountKeys(opts);
  }

  /**
   * Re-seals, page by page, every live record of the old generation (unless its name already has
   * a committed record of the new generation at that version or above) onto pages holding only
   * new-generation records, then erases the old page. Idempotent: a mount runs it again after a cut.
   * Victim order: the first (lowest page) whose records fit a target page or a spare; when none
   * does (space lost to targets closed by torn writes), as many of the first victim's records as
   * fit anywhere, record by record.
   */
  private runRotation(nk: StoreKeys): void {
    for (var iter = 0; iter < 8 * this.N + 8; iter++) {
      this.rescan();
      var v = -1, keep: RotKeep[] = [], p: number, whole = -1, first = -1;
      for (p = 0; p < this.N && v < 0; p++) {
        if (this.pages[p].state !== PG_DATA || this.pages[p].old === 0) continue;
        if (first < 0) first = p;
        keep = this.rotKeepers(p, nk);
        var need = 0;
        for (var i = 0; i < keep.length; i++) need += keep[i].r.size;
        whole = need > 0 ? this.rotTarget(need) : -1;
        if (need === 0 || whole >= 0 || this.pickSpare(p, false) >= 0) v = p;
      }
      if (first < 0) return;
      if (v < 0) {
        v = first;
        whole = -1;
        keep = this.rotKeepers(v, nk);
      }
      var placed = 0;
      for (var i = 0; i < keep.length; i++) {
        var t = whole >= 0 ? whole : this.rotTarget(keep[i].r.size);
        if (t < 0) {
          t = this.pickSpare(v, false);
          if (t < 0) break;
          this.openDataPage(t);
        }
        if (this.P - this.pages[t].end < keep[i].r.size) break;
        this.reseal(t, keep[i], nk);
        placed++;
      }
      if (placed < keep.length) {
        if (placed === 0 && this.rotReclaim()) continue;
        if (placed === 0) fail("STORE_FULL", "no page to re-seal the records of page " + v + " into");
        continue;
      }
      this.keepEvidence(v);
      this.erasePage(v);
    }
    fail("STORE_FULL", "the key rotation did not converge");
  }

  /**
   * Stuck for room: erases a page holding only new-generation records none of which is committed
   * (a target whose first re-seal a cut tore, closed by its torn tail). True when one was erased.
   */
  private rotReclaim(): boolean {
    for (var p = 0; p < this.N; p++) {
      var pg = this.pages[p];
      if (pg.state !== PG_DATA || pg.old > 0 || pg.rotLive > 0 || pg.end === PAGE_HEADER) continue;
      this.keepEvidence(p);
      this.erasePage(p);
      return true;
    }
    return false;
  }

  /** The winning records on victim v still to re-seal (each opened for its new name tag, then wiped). */
  private rotKeepers(v: number, nk: StoreKeys): RotKeep[] {
    var keep: RotKeep[] = [];
    for (var tag in this.byTag) {
      if (!this.byTag.hasOwnProperty(tag)) continue;
      var e = this.byTag[tag];
      if (!e.win || e.win.page !== v || (e.win.kind === KIND_TOMBSTONE && !this.keep(e, v))) continue;
      var pt = this.open(e.win);
      if (pt === null) {
        this.problem("STORE_AUTH", v, e.win.off, "record does not authenticate: not re-sealed by the key rotation");
        continue;
      }
      var nt = nameTag(nk.nameKey, view(pt, 1, 1 + pt[0])), done = this.rotWin[hex(nt, 0, nt.length)];
      wipe(pt);
      if (done === undefined || done < e.win.version) keep.push({ r: e.win, tag: nt });
    }
    keep.sort(function (a, b) { return a.r.off - b.r.off; });
    return keep;
  }

  /** The data page holding no victim records whose erased tail fits `need` most tightly, or -1. */
  private rotTarget(need: number): number {
    var t = -1, room = 0;
    for (var p = 0; p < this.N; p++) {
      var pg = this.pages[p], r = this.P - pg.end;
      if (pg.state === PG_DATA && pg.old === 0 && r >= need && (t < 0 || r < room)) { t = p; room = r; }
    }
    return t;
  }

  /** Writes k re-sealed under the new keys at the tail of page t (the three programs of §2). */
  private reseal(t: number, k: RotKeep, nk: StoreKeys): void {
    var P = this.P, gen = this.rotGen, tp = this.pages[t], at = tp.end, len = k.r.size - REC_HEADER - COMMIT;
    // Opened again here (one plaintext in RAM at a time); it opened when the victim was chosen.
    var pt = this.open(k.r);
    if (pt === null) fail("STORE_AUTH", "record at page " + k.r.page + ", offset " + k.r.off + " stopped authenticating during the key rotation");
    var header = encodeRecordHeader(k.r.kind, pt.length + 16, k.r.version, gen, k.tag);
    var sealed = sealRecord(nk, header, pt);
    wipe(pt);
    var body = erasedBytes(len);
    body.set(sealed);
    tp.end = at + k.r.size;
    this.program(t * P + at, header);
    this.program(t * P + at + REC_HEADER, body);
    this.program(t * P + at + REC_HEADER + len, commitUnit());
    if (k.r.version > tp.evidence) tp.evidence = k.r.version;
    this.rotWin[hex(k.tag, 0, k.tag.length)] = k.r.version;
  }

  /** Garbage-collects until `want` spares exist (records move only into data pages with room), or STORE_FULL. */
  private makeSpares(want: number): void {
    for (var iter = 0; iter < 2 * this.N + 2 && this.spareCount() < want; iter++) {
      var v = this.reclaimable(-1);
      if (v >= 0) {
        this.collect(v, -1);
        continue;
      }
      var best = -1, bt = -1, bn = 0;
      for (var p = 0; p < this.N; p++) {
        if (this.pages[p].state !== PG_DATA) continue;
        var n = this.uniqueLiveOf(p), t = this.bestFit(n, p);
        if (t >= 0 && (best < 0 || n < bn)) { best = p; bt = t; bn = n; }
      }
      if (best < 0) break;
      this.collect(best, bt);
    }
    if (this.spareCount() < want) fail("STORE_FULL", "a key rotation needs " + want + " free pages (the new key page, room to re-seal into): free some space first");
  }

  /** Re-reads every page and rebuilds the index (the key material is kept). */
  private rescan(): void {
    var P = this.P, known = 0, p: number, unknown: number[] = [], scans: ScannedRecord[][] = [];
    this.pages = [];
    this.newerGen = -1;
    this.byTag = {};
    this.rotWin = {};
    this.damaged = this.torn = this.stale = 0;
    for (p = 0; p < this.N; p++) {
      var w = this.window(p), sc = scanWindow(w);
      w.close(); // what it held of a key slot
      // A torn tail closes the page: appending after it would make it look like damage.
      this.pages.push({
        state: sc.state, value: sc.value, floor: sc.floor, end: sc.torn > 0 ? P : sc.end, count: sc.records.length, evidence: 0,
        shredMark: sc.shredMark, hasSlot: !!sc.slot, rotation: sc.rotation, inUse: sc.inUse, otherFormat: sc.otherFormat, old: 0, rotLive: 0,
      });
      scans.push(sc.state === PG_DATA ? sc.records : []);
      if (this.sk !== null && sc.state === PG_KEY && p !== this.keyPage && p !== this.rotKp) this.pages[p].state = PG_DIRTY;
      if (this.erases.length < this.N) this.erases.push(sc.erases);
      else if (sc.erases > this.erases[p]) this.erases[p] = sc.erases;
      if (this.erases[p] < 0) unknown.push(p);
      else if (this.erases[p] > known) known = this.erases[p];
      if (sc.state === PG_DATA && sc.value > this.maxSeq) this.maxSeq = sc.value;
      this.torn += sc.torn;
      for (var d = 0; d < sc.damaged.length; d++) {
        this.damaged++;
        this.problem("STORE_CORRUPT", p, sc.damaged[d], "damaged record header (skipped)");
      }
      if (sc.headerDamaged) this.problem("STORE_CORRUPT", p, PART_B, "damaged page header (page recognised by its contents)");
      for (var u = 0; u < sc.records.length; u++) if (!sc.records[u].committed) this.torn++;
    }
    for (p = 0; p < unknown.length; p++) this.erases[unknown[p]] = known; // estimate: as worn as the most worn
    if (this.sk === null) return;
    for (p = 0; p < this.N; p++) {
      var pg = this.pages[p], rs = scans[p];
      if (pg.state !== PG_DATA) continue;
      pg.evidence = pg.floor <= MAX_VERSION ? pg.floor : 0;
      for (var i = 0; i < rs.length; i++) {
        var r = rs[i];
        if (r.generation === this.rotGen) {
          // A record re-sealed by the rotation in progress: evidence of the counter, not indexed.
          if (r.version > pg.evidence) pg.evidence = r.version;
          if (r.committed) pg.rotLive++;
          var seen = this.rotWin[r.tag];
          if (r.committed && !(seen !== undefined && seen >= r.version)) this.rotWin[r.tag] = r.version;
          continue;
        }
        pg.old++;
        if (r.generation !== this.generation) {
          if (r.generation > this.generation) this.newerGen = p;
          this.stale++;
          continue;
        }
        if (r.version > pg.evidence) pg.evidence = r.version;
        this.index(r.tag, p, r.committed ? { page: p, off: r.off, size: r.size, kind: r.kind, version: r.version } : null);
      }
      if (pg.evidence > this.version) this.version = pg.evidence;
    }
  }

  /** Adds one record of `tag` on page p to the index (`rec` null: an uncommitted one). */
  private index(tag: string, p: number, rec: Rec | null): void {
    var e = this.byTag[tag] || (this.byTag[tag] = { tag: tag, held: [], win: null }), h: Held | null = null;
    for (var i = 0; i < e.held.length; i++) if (e.held[i].page === p) h = e.held[i];
    if (!h) e.held.push(h = { page: p, n: 0, best: null });
    h.n++;
    if (rec === null) return;
    if (h.best === null || rec.version > h.best.version) h.best = rec;
    if (this.beats(rec, e.win)) e.win = rec;
  }

  private beats(a: Rec, b: Rec | null): boolean {
    if (b === null || a.version > b.version) return true;
    return a.version === b.version && this.pages[a.page].value > this.pages[b.page].value;
  }

  private problem(code: string, page: number, offset: number, note: string): void {
    for (var i = 0; i < this.problems.length; i++) {
      var q = this.problems[i];
      if (q.code === code && q.page === page && q.offset === offset) return;
    }
    if (this.problems.length < 64) this.problems.push({ code: code, page: page, offset: offset, note: note });
  }

  /**
   * A committed record of this generation authenticates. Page headers are only CRC'd: a forged
   * empty data page must not make an erased data area look like a store in use (§5).
   */
  private anyRecordOpens(): boolean {
    for (var tag in this.byTag) {
      if (!this.byTag.hasOwnProperty(tag)) continue;
      var e = this.byTag[tag], recs: Rec[] = e.win ? [e.win] : [];
      for (var i = 0; i < e.held.length; i++) if (e.held[i].best) recs.push(e.held[i].best as Rec);
      for (var i = 0; i < recs.length; i++) {
        var pt = this.open(recs[i]);
        if (pt !== null) {
          wipe(pt);
          return true;
        }
      }
    }
    return false;
  }

  private hasDataPage(): boolean {
    for (var p = 0; p < this.N; p++) if (this.pages[p].state === PG_DATA) return true;
    return false;
  }

  private hasRecords(): boolean {
    for (var p = 0; p < this.N; p++) if (this.pages[p].state === PG_DATA && this.pages[p].count > 0) return true;
    return false;
  }

  // ---- records (§2) ----------------------------------------------------------------------------

  private tagOf(nb: Uint8Array): string {
    var t = nameTag(this.needKeys().nameKey, nb), s = hex(t, 0, t.length);
    return s;
  }

  private needKeys(): StoreKeys {
    if (this.sk === null) return fail("STORE_BAD_INPUT", "the store is closed");
    return this.sk;
  }

  private append(nb: Uint8Array, kind: number, value: Uint8Array | null): void {
    var keys = this.needKeys(), version = this.version + 1;
    if (version > MAX_VERSION) fail("STORE_FULL", "the version counter is exhausted (shred to start a new generation)");
    var sealedLen = sealedLength(nb.length, value ? value.length : 0), size = recordSize(sealedLen);
    var p = this.ensureRoom(size), pg = this.pages[p], off = pg.end, base = p * this.P + off;
    var tag = nameTag(keys.nameKey, nb), tagHex = hex(tag, 0, tag.length);
    var header = encodeRecordHeader(kind, sealedLen, version, this.generation, tag);
    var pt = new Uint8Array(sealedLen - 16);
    pt[0] = nb.length;
    pt.set(nb, 1);
    if (value) pt.set(value, 1 + nb.length);
    var sealed = sealRecord(keys, header, pt);
    wipe(pt);
    var body = erasedBytes(roundUnit(sealedLen));
    body.set(sealed);
    // The space and the version are spent from here, whatever happens to the programs.
    pg.end = off + size;
    this.version = version;
    // Header first, alone: if it tears, no ciphertext under this nonce reached the flash.
    this.program(base, header);
    this.program(base + REC_HEADER, body);
    this.program(base + size - COMMIT, commitUnit());
    this.markInUse(this.keyPage);
    pg.count++;
    pg.evidence = version;
    this.index(tagHex, p, { page: p, off: off, size: size, kind: kind, version: version });
    this.nameCache[tagHex] = utf8Decode(nb);
  }

  /**
   * The in-use mark of key page k (§3), programmed once, after the first record under k is
   * committed: a mark always has a committed record under it (a cut before the mark leaves a
   * record without one, marked at the next mount).
   */
  private markInUse(k: number): void {
    if (this.pages[k].inUse) return;
    this.program(k * this.P + IN_USE_MARK, new Uint8Array(UNIT));
    this.pages[k].inUse = true;
  }

  /** The plaintext of a record (the caller wipes it), or null when it does not authenticate. */
  private open(r: Rec): Uint8Array | null {
    var keys = this.needKeys(), b = this.read(r.page * this.P + r.off, r.size);
    var len = checkRecordHeader(b, 0, r.size);
    if (len === 0 || recordSize(len) !== r.size) return null;
    var version = ((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) >>> 0;
    var gen = ((b[8] << 24) | (b[9] << 16) | (b[10] << 8) | b[11]) >>> 0;
    if (version !== r.version || gen !== this.generation) return null;
    var pt = openRecord(keys, b, 0, view(b, REC_HEADER, REC_HEADER + len));
    if (pt === null) return null;
    var n = pt[0];
    if (n < 1 || n > MAX_NAME || pt.length < 1 + n || (b[0] === KIND_TOMBSTONE && pt.length !== 1 + n)) {
      wipe(pt);
      return null;
    }
    return pt;
  }

  /** A tombstone winner with older records still on flash: the destroy did not finish. */
  private pendingPurge(e: Entry): boolean {
    return !!e.win && e.win.kind === KIND_TOMBSTONE && (e.held.length > 1 || e.held[0].n > 1);
  }

  /** Collects every page holding a record of `tag` other than its winning tombstone. */
  private purge(tag: string): void {
    for (var iter = 0; iter < 2 * this.N + 2; iter++) {
      var e = this.byTag[tag];
      if (!e) return;
      var victim = -1;
      for (var i = 0; i < e.held.length; i++) {
        var h = e.held[i];
        if (!e.win || h.page !== e.win.page || h.n > 1) { victim = h.page; break; }
      }
      if (victim < 0) return;
      this.collect(victim, -1);
    }
    fail("STORE_FULL", "could not erase every page holding an old record (no room to move the other records)");
  }

  // ---- space: allocation, garbage collection, wear levelling (§4) ------------------------------

  private capacity(): number {
    var n = 0;
    for (var p = 0; p < this.N; p++) if (p !== this.keyPage) n++;
    return (n - 1) * (this.P - PAGE_HEADER);
  }

  /** Bytes of page p that must be kept: winners, and winning tombstones while an older record exists elsewhere. */
  private liveOf(p: number): number {
    var n = 0;
    for (var tag in this.byTag) {
      if (!this.byTag.hasOwnProperty(tag)) continue;
      var e = this.byTag[tag];
      if (e.win && e.win.page === p && this.keep(e, p)) n += e.win.size;
    }
    return n;
  }

  /** Live bytes of page p that exist nowhere else (a GC cut short leaves identical copies on two pages). */
  private uniqueLiveOf(p: number): number {
    var n = 0;
    for (var tag in this.byTag) {
      if (!this.byTag.hasOwnProperty(tag)) continue;
      var e = this.byTag[tag];
      if (e.win && e.win.page === p && this.keep(e, p) && !this.copyElsewhere(e, p)) n += e.win.size;
    }
    return n;
  }

  private copyElsewhere(e: Entry, p: number): boolean {
    var w = e.win as Rec;
    for (var i = 0; i < e.held.length; i++) {
      var b = e.held[i].best;
      if (b && b.page !== p && b.version === w.version && b.size === w.size) return true;
    }
    return false;
  }

  private keep(e: Entry, p: number): boolean {
    var w = e.win as Rec;
    if (w.kind !== KIND_TOMBSTONE) return true;
    for (var i = 0; i < e.held.length; i++) if (e.held[i].best && e.held[i].page !== p) return true;
    return false;
  }

  private isSpare(p: number): boolean {
    var st = this.pages[p].state;
    return p !== this.keyPage && (st === PG_BLANK || st === PG_FREE || st === PG_DIRTY);
  }

  /** The least-erased spare (the most-erased with `most`), other than `not`; -1 when none. */
  private pickSpare(not: number, most: boolean): number {
    var best = -1;
    for (var p = 0; p < this.N; p++) {
      if (p === not || !this.isSpare(p)) continue;
      if (best < 0 || (most ? this.erases[p] > this.erases[best] : this.erases[p] < this.erases[best])) best = p;
    }
    return best;
  }

  private spareCount(): number {
    var n = 0;
    for (var p = 0; p < this.N; p++) if (this.isSpare(p)) n++;
    return n;
  }

  /** The data page whose erased tail fits `size` most tightly (other than `not`), or -1. */
  private bestFit(size: number, not: number): number {
    var best = -1, room = 0;
    for (var p = 0; p < this.N; p++) {
      if (p === not || this.pages[p].state !== PG_DATA) continue;
      var r = this.P - this.pages[p].end;
      if (r >= size && (best < 0 || r < room)) {
        best = p;
        room = r;
      }
    }
    return best;
  }

  private openDataPage(p: number): void {
    this.preparePage(p);
    var seq = this.maxSeq + 1;
    this.program(p * this.P + PART_B, encodePartB(TYPE_DATA, seq, this.version));
    this.maxSeq = seq;
    var pg = this.pages[p];
    pg.state = PG_DATA;
    pg.value = seq;
    pg.floor = this.version;
    pg.end = PAGE_HEADER;
    pg.count = 0;
    pg.evidence = pg.floor;
  }

  private ensureRoom(size: number): number {
    var live = 0, p: number;
    for (p = 0; p < this.N; p++) if (this.pages[p].state === PG_DATA) live += this.liveOf(p);
    if (live + size > this.capacity()) fail("STORE_FULL", "the store is full (" + live + " live bytes of " + this.capacity() + ")");
    for (var iter = 0; iter < 3 * this.N + 3; iter++) {
      p = this.bestFit(size, -1);
      if (p >= 0) return p;
      if (this.spareCount() >= 2) {
        this.openDataPage(this.pickSpare(-1, false));
        continue;
      }
      if (this.levelWear()) continue;
      var v = this.reclaimable(-1), gain = 0;
      if (v >= 0) {
        this.collect(v, -1);
        continue;
      }
      for (p = 0; p < this.N; p++) {
        if (this.pages[p].state !== PG_DATA) continue;
        var g = this.pages[p].end - PAGE_HEADER - this.uniqueLiveOf(p);
        if (g > gain || (g === gain && g > 0 && this.erases[p] < this.erases[v])) {
          v = p;
          gain = g;
        }
      }
      if (v < 0) break;
      this.collect(v, -1);
    }
    return fail("STORE_FULL", "no page has room for a " + size + "-byte record after garbage collection");
  }

  /** A data page other than `not` holding records but nothing that exists only there, or -1. */
  private reclaimable(not: number): number {
    for (var p = 0; p < this.N; p++)
      if (p !== not && this.pages[p].state === PG_DATA && this.pages[p].end > PAGE_HEADER && this.uniqueLiveOf(p) === 0) return p;
    return -1;
  }

  /** Moves the coldest data page onto the most-worn spare when the erase counts spread too far. */
  private levelWear(): boolean {
    var cold = -1, hot = 0;
    for (var p = 0; p < this.N; p++) {
      if (p === this.keyPage) continue;
      if (this.pages[p].state === PG_DATA && (cold < 0 || this.erases[p] < this.erases[cold])) cold = p;
      if (this.erases[p] > hot) hot = this.erases[p];
    }
    if (cold < 0 || hot - this.erases[cold] <= WEAR_SPREAD) return false;
    var t = this.pickSpare(-1, true);
    if (t < 0 || this.erases[t] <= this.erases[cold]) return false;
    this.collect(cold, t);
    return true;
  }

  /**
   * Garbage collection of page v: each record that must be kept is copied byte for byte (header,
   * sealed payload, commit unit: three programs, as a new record is written) into `target` (or the least-erased
   * spare, or a data page with room), then v is erased. A cut at any point leaves the original,
   * or the original and an identical copy.
   */
  private collect(v: number, target: number): void {
    var P = this.P, keepers: Rec[] = [], need = 0;
    for (var tag in this.byTag) {
      if (!this.byTag.hasOwnProperty(tag)) continue;
      var e = this.byTag[tag];
      if (e.win && e.win.page === v && this.keep(e, v) && !this.copyElsewhere(e, v)) {
        keepers.push(e.win);
        need += e.win.size;
      }
    }
    keepers.sort(function (a, b) { return a.off - b.off; });
    if (need > 0) {
      var t = target >= 0 ? target : this.pickSpare(v, false);
      if (t < 0) t = this.bestFit(need, v);
      if (t < 0) {
        // After a GC cut short: a page whose records all exist elsewhere is erased first.
        var z = this.reclaimable(v);
        if (z < 0) fail("STORE_FULL", "no room to move the " + need + " live bytes of page " + v);
        this.collect(z, -1);
        return this.collect(v, target);
      }
      if (this.pages[t].state !== PG_DATA) this.openDataPage(t);
      var tp = this.pages[t];
      for (var i = 0; i < keepers.length; i++) {
        // One record in RAM at a time, never the page.
        var r = keepers[i], at = tp.end, body = r.size - COMMIT, b = this.read(v * P + r.off, r.size);
        tp.end = at + r.size;
        // Header alone first, as for a new record (§5: a torn tail is at most a header).
        this.program(t * P + at, view(b, 0, REC_HEADER));
        this.program(t * P + at + REC_HEADER, view(b, REC_HEADER, body));
        this.program(t * P + at + body, view(b, body, r.size));
      }
    }
    this.keepEvidence(v);
    this.erasePage(v);
    this.rescan();
  }

  /** The highest version page p shows: its floor, or any current-generation header on it. */
  private evidenceOf(p: number): number {
    return this.pages[p].state === PG_DATA ? this.pages[p].evidence : 0;
  }

  /**
   * Before page v is erased: if it alone shows the highest version (an unneeded tombstone or an
   * uncommitted header being dropped), a spare is opened as a data page first, its floor keeping
   * the counter, so no version (and no nonce) is ever used twice after a remount.
   */
  private keepEvidence(v: number): void {
    var here = this.evidenceOf(v), other = 0;
    for (var p = 0; p < this.N; p++) if (p !== v && this.evidenceOf(p) > other) other = this.evidenceOf(p);
    if (here <= other) return;
    var s = this.pickSpare(v, false);
    if (s < 0) fail("STORE_FULL", "no spare page to keep the version counter while erasing page " + v);
    this.openDataPage(s);
  }

  // ---- flash calls -----------------------------------------------------------------------------

  /** Page p read through a small window (window.ts): the store never holds a page in RAM. */
  private window(p: number): PageWindow {
    var self = this, base = p * this.P;
    return flashWindow(function (o: number, n: number) { return self.read(base + o, n); }, this.P);
  }

  /** Key page p up to its in-use mark (header, shred mark, both slots): the caller wipes it. */
  private readSlots(p: number): Uint8Array {
    return this.read(p * this.P, IN_USE_MARK);
  }

  private read(addr: number, length: number): Uint8Array {
    var b = this.flash.read(addr, length);
    if (!(b instanceof Uint8Array) || b.length !== length) return fail("STORE_IO", "flash read of " + length + " bytes at " + addr + " failed");
    return b;
  }

  private program(addr: number, bytes: Uint8Array): void {
    var err = this.flash.program(addr, bytes);
    if (err !== null) fail("STORE_IO", "flash program of " + bytes.length + " bytes at " + addr + " failed: " + err);
  }

  /** Erases page p and programs part A with its new erase count: the page becomes FREE. */
  private erasePage(p: number): void {
    this.erases[p]++;
    var err = this.flash.erase(p);
    if (err !== null) fail("STORE_IO", "flash erase of page " + p + " failed: " + err);
    var pg = this.pages[p];
    pg.state = PG_BLANK;
    pg.count = 0;
    pg.evidence = 0;
    pg.end = PAGE_HEADER;
    pg.shredMark = pg.hasSlot = false;
    this.program(p * this.P, encodePartA(this.erases[p]));
    pg.state = PG_FREE;
  }

  private preparePage(p: number): void {
    var st = this.pages[p].state;
    if (st === PG_FREE) return;
    if (st === PG_BLANK) {
      this.program(p * this.P, encodePartA(this.erases[p]));
      this.pages[p].state = PG_FREE;
    } else this.erasePage(p);
  }
}

/** A record to re-seal: where it is and its name tag under the new keys (it is opened again to re-seal it). */
interface RotKeep {
  r: Rec;
  tag: Uint8Array;
}

/** The slot of a key page's first bytes b (slot A, else slot B; views into b). */
function slotOf(b: Uint8Array, p: number): KeySlot {
  var s = decodeSlot(b, SLOT_A) || decodeSlot(b, SLOT_B);
  if (s === null) {
    wipe(b);
    return fail("STORE_IO", "key page " + p + " lost its key slots while mounted");
  }
  return s;
}

function sameBytes(a: Uint8Array, o: number, b: Uint8Array): boolean {
  for (var i = 0; i < b.length; i++) if (a[o + i] !== b[i]) return false;
  return true;
}
