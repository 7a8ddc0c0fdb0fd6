import { test } from "node:test";
import assert from "node:assert/strict";
import { SimFlash } from "../../../hal/sim/flash.ts";
import { flashRootSecret, readRootPage, writeRootPage, ROOT_RECORD_BYTES } from "../../../hal/espruino/flash-root.ts";
import { crc32 } from "../../../firmware/store/crc32.ts";

const page = () => new SimFlash({ pageSize: 1024, pageCount: 1, writeSize: 4 });
const root = () => Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 5) & 255);

test("an erased page has no root; a written one reads back, byte for byte as flash-format.md §10 says", () => {
  const f = page();
  assert.equal(readRootPage(f), "none");
  assert.equal(writeRootPage(f, root()), null);
  const img = f.image();
  assert.deepEqual([...img.subarray(0, 4)], [0x46, 0x4c, 0x52, 0x31]);
  assert.deepEqual([...img.subarray(4, 36)], [...root()]);
  const c = crc32(img, 0, 36);
  assert.deepEqual([...img.subarray(36, 40)], [c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255]);
  assert.ok(img.subarray(ROOT_RECORD_BYTES).every((b) => b === 0xff), "the rest of the page stays erased");
  assert.deepEqual([...(readRootPage(f) as Uint8Array)], [...root()]);
  assert.deepEqual([...flashRootSecret(f).read()], [...root()]);
});

test("a root write cut at any point leaves no root or a damaged page, never a wrong root", () => {
  for (const torn of ["none", "prefix", "random-bits"] as const) {
    for (let n = 1; n <= 2; n++) {
      const f = page();
      f.cutPowerAfter(n, { torn });
      assert.throws(() => writeRootPage(f, root()));
      f.restorePower();
      const r = readRootPage(f);
      if (typeof r !== "string") assert.deepEqual([...r], [...root()], `cut ${n} ${torn}: a root that reads back must be the one written`);
      else assert.ok(r === "none" || r === "bad");
      // The boot then makes a new root over whatever the cut left.
      assert.equal(writeRootPage(f, root()), null);
    }
  }
});

test("one flipped bit of the root or the check is refused; the secret then throws instead of handing out bytes", () => {
  for (const at of [0, 5, 35, 39]) {
    const f = page();
    writeRootPage(f, root());
    const img = f.image();
    img[at] ^= 0x01;
    const g = page();
    g.load(img);
    assert.equal(readRootPage(g), "bad", "byte " + at);
    assert.throws(() => flashRootSecret(g).read(), /damaged/);
  }
  assert.equal(writeRootPage(page(), new Uint8Array(31)), "the root is 32 bytes");
});
