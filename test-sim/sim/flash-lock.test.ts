/** test-sim/sim/flash-lock.ts: one simulated device per flash file. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlashInUseError, lockFlashFile } from "./flash-lock.ts";

test("a live holder keeps the file; a dead holder's lock is taken over; release removes it", () => {
  const dir = mkdtempSync(join(tmpdir(), "fl-lock-"));
  try {
    const flash = join(dir, "flash.bin");
    writeFileSync(flash + ".lock", `${process.ppid}\n`);
    assert.throws(() => lockFlashFile(flash), (e: unknown) => e instanceof FlashInUseError && /belongs to a simulated device that is running \(pid \d+/.test((e as Error).message));
    assert.equal(readFileSync(flash + ".lock", "utf8").trim(), String(process.ppid), "the holder's lock is left alone");

    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    writeFileSync(flash + ".lock", `${gone}\n`);
    const release = lockFlashFile(flash);
    assert.equal(readFileSync(flash + ".lock", "utf8").trim(), String(process.pid));
    release();
    assert.equal(existsSync(flash + ".lock"), false);
    release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
