/** The Trng contract: exactly n bytes for 1 ≤ n ≤ 256, SIZE otherwise, FAIL from a dead source, callback once. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { HalError } from "../../../hal/errors.ts";
import type { Trng } from "../../../hal/trng.ts";

export interface TrngHarness {
  trng: Trng;
  /** Runs pending timers until the driver is idle. */
  settle(): void;
  /** Makes the raw source fail from now on (omit when the source cannot fail). */
  breakSource?: () => void;
  /** The driver promises never to call back before read() returns. */
  alwaysAsync: boolean;
}

type Result = { calls: number; err: HalError | null | undefined; bytes?: Uint8Array; sync: boolean };

function readOnce(h: TrngHarness, n: number): Result {
  const r: Result = { calls: 0, err: undefined, sync: false };
  let returned = false;
  h.trng.read(n, (err, bytes) => {
    r.calls++;
    r.err = err;
    r.bytes = bytes;
    if (!returned) r.sync = true;
  });
  returned = true;
  h.settle();
  return r;
}

export function trngContract(name: string, make: () => TrngHarness): void {
  describe(`Trng contract: ${name}`, () => {
    test("returns exactly n bytes, once, for every n in 1 … 256", () => {
      const h = make();
      for (const n of [1, 2, 3, 4, 5, 63, 64, 65, 128, 255, 256]) {
        const r = readOnce(h, n);
        assert.equal(r.calls, 1, `n=${n}: callback count`);
        assert.equal(r.err, null, `n=${n}`);
        assert.ok(r.bytes instanceof Uint8Array && r.bytes.length === n, `n=${n}: got ${r.bytes?.length}`);
        if (h.alwaysAsync) assert.equal(r.sync, false, `n=${n}: called back synchronously`);
      }
    });

    test("successive reads differ (the driver does not replay a buffer)", () => {
      const h = make();
      const a = readOnce(h, 32).bytes!, b = readOnce(h, 32).bytes!;
      assert.notDeepEqual(a, b);
    });

    test("SIZE for n outside 1 … 256 or not an integer", () => {
      const h = make();
      for (const n of [0, -1, 257, 1.5, NaN]) {
        const r = readOnce(h, n);
        assert.equal(r.calls, 1, `n=${n}`);
        assert.equal(r.err, "SIZE", `n=${n}`);
        assert.equal(r.bytes, undefined);
      }
    });

    test("FAIL when the source fails, and no bytes", (t) => {
      const h = make();
      if (!h.breakSource) return t.skip("source cannot fail");
      h.breakSource();
      const r = readOnce(h, 100);
      assert.equal(r.calls, 1);
      assert.equal(r.err, "FAIL");
      assert.equal(r.bytes, undefined);
    });
  });
}
