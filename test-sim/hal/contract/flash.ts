/**
 * The Flash contract (hal/flash.ts): erase → 0xFF; program only clears bits (BITS otherwise, and
 * nothing changes); ALIGN for addresses/lengths off the write size; SIZE outside the area or
 * across a page boundary; reads are copies.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Flash } from "../../../hal/flash.ts";

export interface FlashHarness {
  flash: Flash;
}

const fill = (n: number, v: number) => new Uint8Array(n).fill(v);

export function flashContract(name: string, make: () => FlashHarness): void {
  describe(`Flash contract: ${name}`, () => {
    test("geometry is sane", () => {
      const { flash } = make();
      assert.ok([1, 2, 4, 8, 16].includes(flash.writeSize));
      assert.equal(flash.pageSize % flash.writeSize, 0);
      assert.ok(flash.pageCount >= 2);
    });

    test("erase sets the whole page to 0xFF and no other page", () => {
      const { flash } = make();
      const P = flash.pageSize, ws = flash.writeSize;
      assert.equal(flash.erase(0), null);
      assert.equal(flash.erase(1), null);
      assert.equal(flash.program(P, fill(ws, 0)), null);
      assert.equal(flash.program(P - ws, fill(ws, 0x5a)), null);
      assert.equal(flash.erase(0), null);
      assert.deepEqual(flash.read(0, P), fill(P, 0xff));
      assert.deepEqual(flash.read(P, ws), fill(ws, 0), "page 1 untouched");
    });

    test("program clears bits and reads back; clearing more bits later works", () => {
      const { flash } = make();
      const ws = flash.writeSize, n = 4 * ws;
      flash.erase(0);
      const a = new Uint8Array(n).map((_, i) => 0xf0 | (i & 15));
      assert.equal(flash.program(0, a), null);
      assert.deepEqual(flash.read(0, n), a);
      const b = a.map((x) => x & 0x3c);
      assert.equal(flash.program(0, b), null);
      assert.deepEqual(flash.read(0, n), b);
      assert.equal(flash.program(0, b), null, "programming the same bytes again is allowed");
    });

    test("BITS when a program would set a 0 bit back to 1, and nothing is written", () => {
      const { flash } = make();
      const ws = flash.writeSize;
      flash.erase(0);
      const first = fill(2 * ws, 0x0f);
      flash.program(0, first);
      const second = fill(2 * ws, 0x0f);
      second[2 * ws - 1] = 0x1f;
      assert.equal(flash.program(0, second), "BITS");
      assert.deepEqual(flash.read(0, 2 * ws), first);
    });

    test("ALIGN for an address or length that is not a multiple of writeSize", (t) => {
      const { flash } = make();
      const ws = flash.writeSize;
      if (ws === 1) return t.skip("byte-writable flash has no alignment rule");
      flash.erase(0);
      assert.equal(flash.program(1, fill(ws, 0)), "ALIGN");
      assert.equal(flash.program(0, fill(ws + 1, 0)), "ALIGN");
      assert.equal(flash.program(ws, fill(ws - 1, 0)), "ALIGN");
      assert.deepEqual(flash.read(0, 2 * ws), fill(2 * ws, 0xff));
    });

    test("SIZE outside the area and across a page boundary", () => {
      const { flash } = make();
      const P = flash.pageSize, ws = flash.writeSize, end = P * flash.pageCount;
      flash.erase(0);
      flash.erase(1);
      assert.equal(flash.program(end, fill(ws, 0)), "SIZE");
      assert.equal(flash.program(end - ws, fill(2 * ws, 0)), "SIZE");
      assert.equal(flash.program(-ws, fill(ws, 0)), "SIZE");
      assert.equal(flash.program(P - ws, fill(2 * ws, 0)), "SIZE", "crosses pages 0|1");
      assert.deepEqual(flash.read(P - ws, 2 * ws), fill(2 * ws, 0xff));
      assert.equal(flash.erase(flash.pageCount), "SIZE");
      assert.equal(flash.erase(-1), "SIZE");
      assert.equal(flash.erase(0.5), "SIZE");
      assert.equal(flash.program(end - ws, fill(ws, 0xff)), null, "last unit is inside");
    });

    test("read: null outside the area; a copy, not a view", () => {
      const { flash } = make();
      const end = flash.pageSize * flash.pageCount, ws = flash.writeSize;
      assert.equal(flash.read(end - 1, 2), null);
      assert.equal(flash.read(-1, 1), null);
      assert.deepEqual(flash.read(end, 0), new Uint8Array(0));
      flash.erase(0);
      const r = flash.read(0, ws)!;
      r[0] = 0;
      assert.equal(flash.read(0, 1)![0], 0xff);
    });

    test("program does not keep the caller's buffer", () => {
      const { flash } = make();
      const ws = flash.writeSize;
      flash.erase(0);
      const src = fill(ws, 0xa5);
      flash.program(0, src);
      src.fill(0);
      assert.deepEqual(flash.read(0, ws), fill(ws, 0xa5));
    });
  });
}
