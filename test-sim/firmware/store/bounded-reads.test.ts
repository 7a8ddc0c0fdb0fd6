/**
 * The store never holds a flash page in RAM (a 64 KB JavaScript heap cannot spare a 4 KB page
 * beside the device): on the nrf52840-jerry geometry (4 KB pages) every flash read is at most the
 * page window (256 B) or one record, through mount, puts and garbage collection, destroy, key
 * rotation, shred, and the remounts that finish a rotation or a shred cut short by a power cut. The
 * flash under test refuses any longer read, so a page-sized read fails the operation (STORE_IO).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Flash } from "../../../hal/flash.ts";
import type { SimFlash } from "../../../hal/sim/flash.ts";
import { openStore, type StoreApi } from "../../../firmware/store/index.ts";
import { MAX_NAME, recordSize, sealedLength } from "../../../firmware/store/format.ts";
import { WINDOW } from "../../../firmware/store/window.ts";
import { ROOT, hex, makeFlash, seededRandom, valueOf } from "./helpers.ts";
import { countOps, runWithCut, snapshot } from "./sweep.ts";

/** The SimFlash seen through a driver that refuses reads longer than `limit` bytes, remembering the longest asked. */
function bounded(f: SimFlash, limit: number): Flash & { longest: number } {
  const b = {
    pageSize: f.pageSize, pageCount: f.pageCount, writeSize: f.writeSize, longest: 0,
    read(addr: number, length: number) {
      if (length > b.longest) b.longest = length;
      return length > limit ? null : f.read(addr, length);
    },
    program: (addr: number, bytes: Uint8Array) => f.program(addr, bytes),
    erase: (page: number) => f.erase(page),
  };
  return b;
}

const board = () => makeFlash(4096, 6, 4);
const openOn = (fl: Flash, random = true): StoreApi => openStore(fl, ROOT, random ? { random: seededRandom(5) } : {});
const NAMES = ["seed", "identity.key", "commissioner", "config", "audit.mark"];

test("the driver refuses a long read, and the store reports it as STORE_IO", () => {
  const fl = bounded(board(), 255);
  assert.equal(fl.read(0, 256), null);
  assert.throws(() => openOn(fl), /STORE_IO/);
});

test("4 KB pages, records up to 256 B: no read is longer than the 256-byte window", () => {
  const f = board(), fl = bounded(f, WINDOW);
  let s = openOn(fl, false);
  s.put("seed", valueOf("seed", 0, 32));
  s.useRandom(seededRandom(9));
  s.shred(); // the first-life store moved to a random seed
  const last: Record<string, number> = {};
  for (let i = 0; i < 400; i++) {
    const n = NAMES[i % NAMES.length];
    s.put(n, valueOf(n, i, 16 + (i % 7) * 16));
    last[n] = i;
  }
  assert.ok(s.stats().eraseMax > 3, "garbage collection ran");
  assert.equal(s.remove("config"), true);
  delete last.config;
  s.rotateKey();
  s.close();
  s = openOn(fl);
  for (const n of Object.keys(last)) assert.equal(hex(s.get(n)), hex(valueOf(n, last[n], 16 + (last[n] % 7) * 16)), n);
  assert.equal(s.get("config"), null);
  s.shred();
  assert.deepEqual(s.names(), []);
  assert.ok(fl.longest > 0 && fl.longest <= WINDOW, `longest read ${fl.longest} B`);
});

test("4 KB pages, the largest value: reads are one record at most", () => {
  const f = board(), s0 = openOn(f), max = s0.stats().maxValueBytes, rec = recordSize(sealedLength(MAX_NAME, max));
  s0.close();
  const fl = bounded(f, rec), long = "n".repeat(MAX_NAME);
  let s = openOn(fl);
  for (let i = 0; i < 24; i++) s.put(long, valueOf(long, i, max));
  s.put("small", valueOf("small", 1));
  s.rotateKey();
  s.close();
  s = openOn(fl);
  assert.equal(hex(s.get(long)), hex(valueOf(long, 23, max)));
  assert.equal(hex(s.get("small")), hex(valueOf("small", 1)));
  assert.ok(fl.longest > WINDOW && fl.longest <= rec, `longest read ${fl.longest} B, a record is ${rec} B`);
});

test("a power cut at every flash operation of a key rotation and of a shred: the remount that finishes it reads no more than the window", () => {
  const f = board();
  const s = openOn(f);
  for (let i = 0; i < 30; i++) s.put(NAMES[i % NAMES.length], valueOf(NAMES[i % NAMES.length], i, 48));
  s.close();
  const snap = snapshot(f);
  for (const [what, op] of [["rotation", (x: StoreApi) => x.rotateKey()], ["shred", (x: StoreApi) => x.shred()]] as const) {
    const run = (g: SimFlash) => op(openOn(bounded(g, WINDOW)));
    const total = countOps(snap, run);
    assert.ok(total > 5, `${what}: ${total} flash operations`);
    for (let n = 1; n <= total; n++) {
      const r = runWithCut(snap, run, n, "prefix", n);
      const fl = bounded(r.flash, WINDOW);
      const again = openOn(fl);
      const names = again.names();
      assert.ok(what === "shred" ? names.length === 0 || names.length === NAMES.length : names.length === NAMES.length, `${what}, cut ${n}: ${names}`);
      assert.ok(fl.longest <= WINDOW, `${what}, cut ${n}: longest read ${fl.longest} B`);
    }
  }
});
