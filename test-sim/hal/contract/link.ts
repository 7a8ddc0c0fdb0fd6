/** The Link contract: every byte in order (chunking free), sends copied, close seen once by both ends after in-flight bytes. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Link } from "../../../hal/link.ts";

export interface LinkHarness {
  /** A connected pair: [device end, commissioner end]. */
  pair(): [Link, Link];
  /** Runs until everything in flight has arrived. */
  settle(): void;
}

function collect(l: Link): { bytes: () => Uint8Array; closes: () => number } {
  const parts: number[] = [];
  let closes = 0;
  l.onReceive((c) => {
    for (const b of c) parts.push(b);
  });
  l.onClose(() => closes++);
  return { bytes: () => Uint8Array.from(parts), closes: () => closes };
}

export function linkContract(name: string, make: () => LinkHarness): void {
  describe(`Link contract: ${name}`, () => {
    test("bytes arrive in order, both ways, whatever the chunking", () => {
      const h = make();
      const [dev, com] = h.pair();
      const atDev = collect(dev), atCom = collect(com);
      const want: number[] = [];
      for (let i = 0; i < 50; i++) {
        const msg = Uint8Array.from({ length: 1 + ((i * 37) % 300) }, (_, j) => (i * 7 + j) & 255);
        want.push(...msg);
        assert.equal(dev.send(msg), null);
        com.send(msg.slice().reverse());
      }
      h.settle();
      assert.deepEqual(atCom.bytes(), Uint8Array.from(want));
      assert.equal(atDev.bytes().length, want.length);
    });

    test("send copies: wiping the buffer after send changes nothing", () => {
      const h = make();
      const [dev, com] = h.pair();
      const atCom = collect(com);
      const msg = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
      dev.send(msg);
      msg.fill(0);
      h.settle();
      assert.deepEqual(atCom.bytes(), Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    });

    test("all 256 byte values pass unchanged", () => {
      const h = make();
      const [dev, com] = h.pair();
      const atDev = collect(dev);
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      com.send(all);
      h.settle();
      assert.deepEqual(atDev.bytes(), all);
    });

    test("close: both ends told once, after the bytes in flight; send is CLOSED after", () => {
      const h = make();
      const [dev, com] = h.pair();
      const atDev = collect(dev), atCom = collect(com);
      // Chunks may split anywhere: what matters is that every byte arrives before the close.
      const order: string[] = [];
      com.onReceive((c) => { for (let i = 0; i < c.length; i++) order.push("byte " + c[i]); });
      com.onClose(() => order.push("close"));
      dev.send(Uint8Array.from([7, 8, 9]));
      dev.close();
      dev.close();
      h.settle();
      assert.deepEqual(order, ["byte 7", "byte 8", "byte 9", "close"]);
      assert.equal(atDev.closes(), 1);
      assert.equal(dev.send(Uint8Array.of(1)), "CLOSED");
      assert.equal(com.send(Uint8Array.of(1)), "CLOSED");
      void atCom;
    });

    test("the commissioner closing is seen by the device", () => {
      const h = make();
      const [dev, com] = h.pair();
      const atDev = collect(dev);
      com.close();
      h.settle();
      assert.equal(atDev.closes(), 1);
      assert.equal(dev.send(Uint8Array.of(1)), "CLOSED");
    });
  });
}
