/** docs/flash-format.md §10: a store of another format version is refused, never taken for dirty pages. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { openStore } from "../../../firmware/store/index.ts";
import { PART_B, be32, put32 } from "../../../firmware/store/format.ts";
import { crc32 } from "../../../firmware/store/crc32.ts";
import { ROOT, codeOf, makeFlash, open, valueOf } from "./helpers.ts";

test("a format 1 page is refused with STORE_OLD_FORMAT and nothing is erased; reformat starts over", () => {
  const f = makeFlash(512, 4);
  const s = open(f);
  s.put("a", valueOf("a", 1));
  s.close();
  // Turn every page with a role into what format 1 wrote: version byte 1 under a valid crc.
  const img = f.image();
  for (let p = 0; p < 4; p++) {
    const o = p * 512 + PART_B;
    if (img[o] !== 0x44 && img[o] !== 0x4b) continue;
    img[o + 1] = 1;
    put32(img, o + 12, crc32(img, o, o + 12));
    assert.equal(be32(img, o + 12), crc32(img, o, o + 12));
  }
  f.load(img);
  assert.equal(codeOf(() => openStore(f, ROOT)), "STORE_OLD_FORMAT");
  assert.deepEqual(Buffer.from(f.image()), Buffer.from(img), "the refused mount wrote nothing");
  const t = openStore(f, ROOT, { reformat: true });
  assert.deepEqual(t.names(), []);
  t.put("b", valueOf("b", 1));
  assert.equal(open(f).get("b")!.length, 24);
});
