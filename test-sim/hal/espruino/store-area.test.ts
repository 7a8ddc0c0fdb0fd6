import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBoard } from "../../../build/boards.ts";
import { storeAreaProblem } from "../../../hal/espruino/store-area.ts";

const linux = loadBoard("espruino-linux"), puck = loadBoard("puckjs"), esp = loadBoard("esp32");
const use = (total: number, free: number) => ({ totalBytes: total, freeBytes: free });

test("espruino-linux: the top of a Storage that fills from the bottom, refused once Storage reaches it", () => {
  const all = [{ addr: 0x10000000, length: 262144 }];
  assert.equal(storeAreaProblem(linux, all, use(262144, 262144)), null);
  assert.equal(storeAreaProblem(linux, all, use(262144, 262144 - 120000)), null);
  assert.equal(storeAreaProblem(linux, all, use(262144, 16384)), null, "used end exactly at the area");
  assert.match(storeAreaProblem(linux, all, use(262144, 16380)) ?? "", /Storage is used up to 0x1003c003, into firstlight's area 0x1003c000-0x1003ffff/);
  assert.match(storeAreaProblem(linux, all, use(131072, 100000)) ?? "", /Storage reports 131072 bytes, the board file says 262144/);
});

test("puckjs and esp32: outside Storage and inside a getFree() area, else refused", () => {
  // A stock Puck.js whose firmware ends at 0x60000: getFree() is 0x60000-0x6BFFF.
  assert.equal(storeAreaProblem(puck, [{ addr: 0x60000, length: 0xc000 }], use(40960, 30000)), null);
  // A firmware grown to 0x6A000: the area is no longer free.
  assert.match(storeAreaProblem(puck, [{ addr: 0x6a000, length: 0x2000 }], use(40960, 30000)) ?? "", /not inside a free flash area/);
  // ESP32's getFree() as targets/esp32/jshardware.c lists it.
  const espFree = [{ addr: 0xe000, length: 0x2000 }, { addr: 0x310000, length: 0x10000 }, { addr: 0x360000, length: 0xa0000 }];
  assert.equal(storeAreaProblem(esp, espFree, use(917504, 900000)), null);
  // The old placement (top 16 pages of ESP32 Storage) is refused: it overlaps Storage and is not a Storage that fills from the bottom up to it.
  const old = { ...esp, flash: { ...esp.flash, baseAddress: 0x3f0000 } };
  assert.match(storeAreaProblem(old, espFree, use(917504, 0)) ?? "", /Storage is used up to/);
  const middle = { ...esp, flash: { ...esp.flash, baseAddress: 0x330000 } };
  assert.match(storeAreaProblem(middle, espFree, use(917504, 900000)) ?? "", /overlaps Storage 0x320000-0x3fffff and is not its top/);
  assert.match(storeAreaProblem({ ...esp, storage: undefined }, null, use(1, 1)) ?? "", /names no Storage area/);
});
