/** test-sim/sim/sim-device.ts: what the host side of a simulated device refuses, and how it says so. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSimBoard } from "./board.ts";
import { SimDevice } from "./sim-device.ts";

test("a flash file of the wrong size is refused with its remedy, and left as it is", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fl-simdev-"));
  try {
    const { board } = loadSimBoard("sim");
    const flashPath = join(dir, "other.bin");
    writeFileSync(flashPath, Buffer.alloc(1000, 0xab));
    await assert.rejects(
      SimDevice.start({ engine: "node", board, flashPath, mode: "gate" }),
      /other\.bin: 1000 bytes, but the sim board's flash is \d+ \(\d+ × \d+ B\): not this board's flash file; delete it \(a new device starts erased\) or give another with --flash FILE/,
    );
    assert.ok(readFileSync(flashPath).equals(Buffer.alloc(1000, 0xab)), "the file is left as it is");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
