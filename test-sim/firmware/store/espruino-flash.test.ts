/**
 * The Espruino Flash driver (hal/espruino/flash.ts) over the require("Flash") mock of
 * test-sim/hal/espruino-mock.ts (nRF5x 4-byte writes, absolute addresses): the Flash contract,
 * the area check, module exceptions as FAIL, and the store itself on top of it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createEspruinoMock } from "../../hal/espruino-mock.ts";
import { flashContract } from "../../hal/contract/flash.ts";
import { espruinoFlash } from "../../../hal/espruino/flash.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { ROOT, hex, seededRandom, valueOf } from "./helpers.ts";

// Puck.js / MDBT42Q (nRF52832): 4 KB pages, 4-byte writes; an area of 10 pages at 0x60000.
const AREA = { baseAddress: 0x60000, pageSize: 4096, pageCount: 10, writeSize: 4 };

function make() {
  const mock = createEspruinoMock();
  // The module covers more than the area: the driver must stay inside its window.
  const mod = mock.flashModule({ base: AREA.baseAddress - 4096, pageSize: 4096, pageCount: 12 });
  return { mod, flash: espruinoFlash(mod, AREA) };
}

flashContract("Espruino require('Flash') (nRF52, 4-byte writes)", () => ({ flash: make().flash }));

test("addresses are offsets into the area; pages outside it are never touched", () => {
  const { mod, flash } = make();
  flash.erase(0);
  assert.equal(flash.program(0, new Uint8Array([1, 2, 3, 4])), null);
  assert.deepEqual([...mod.mem.subarray(4096, 4100)], [1, 2, 3, 4]);
  flash.erase(9);
  flash.program(9 * 4096 + 4092, new Uint8Array(4));
  assert.ok(mod.mem.subarray(0, 4096).every((b) => b === 0xff), "the page below the area");
  assert.ok(mod.mem.subarray(11 * 4096).every((b) => b === 0xff), "the page above the area");
  assert.equal(flash.erase(10), "SIZE");
});

test("a page size that does not match the chip is refused at once", () => {
  const mock = createEspruinoMock();
  const mod = mock.flashModule({ base: 0x60000, pageSize: 4096, pageCount: 10 });
  assert.throws(() => espruinoFlash(mod, { ...AREA, pageSize: 2048, pageCount: 20 }), /not a 2048-byte chip page/);
  assert.throws(() => espruinoFlash(mod, { ...AREA, baseAddress: 0x60800 }), /chip page/);
});

test("an exception from the module (SoftDevice timeout) is FAIL, not a throw", () => {
  const { mod, flash } = make();
  mod.write = () => { throw new Error("Flash write timeout"); };
  mod.erasePage = () => { throw new Error("protected"); };
  assert.equal(flash.program(0, new Uint8Array(4)), "FAIL");
  assert.equal(flash.erase(1), "FAIL");
});

test("the store runs on the Espruino driver", () => {
  const { flash } = make();
  const s = openStore(flash, ROOT, { random: seededRandom(3) });
  for (let i = 0; i < 400; i++) s.put("k" + (i % 5), valueOf("k", i, 64));
  const s2 = openStore(flash, ROOT);
  for (let k = 0; k < 5; k++) assert.equal(hex(s2.get("k" + k)), hex(valueOf("k", 395 + k, 64)));
  assert.ok(s2.stats().eraseMax >= 1);
});
