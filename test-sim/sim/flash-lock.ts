/**
 * One simulated device per flash file: `npm start` and `npm start -- --serve` take FILE.lock (the
 * owner's pid, created exclusively) before they touch FILE, so a second run cannot erase or write
 * the store a running device holds. A lock whose process is gone (a killed run) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";

export class FlashInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock of `flashPath`; returns its release. Throws FlashInUseError while another live process holds it. */
export function lockFlashFile(flashPath: string): () => void {
  const lock = flashPath + ".lock";
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(lock, "wx", 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let pid = NaN;
      try {
        pid = Number(readFileSync(lock, "utf8").trim());
      } catch {
        continue; // released between our open and our read: try again
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw new FlashInUseError(`${flashPath} belongs to a simulated device that is running (pid ${pid}: npm start or npm start -- --serve); stop it, or give this run its own file with --flash OTHER.bin`);
      try {
        unlinkSync(lock); // stale: its process is gone
      } catch {
        // another run took it over first; the next attempt sees its pid
      }
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off("exit", release);
      try {
        if (Number(readFileSync(lock, "utf8").trim()) === process.pid) unlinkSync(lock);
      } catch {
        // already gone
      }
    };
    process.on("exit", release);
    return release;
  }
  throw new FlashInUseError(`${flashPath}: could not take ${lock}; remove it if no simulated device is running`);
}
