/**
 * Host-only: a SimFlash backed by a file, so the simulator's device keeps its flash across
 * reboots. The file is the raw image (pageSize × pageCount bytes); the simulated chip's erase
 * counters live beside it in FILE.wear.json. Every successful program/erase is written through
 * at once (pwrite of the touched range), so killing the simulator process is a power cut too.
 */
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync, fsyncSync } from "node:fs";
import { SimFlash, type SimFlashOptions } from "./flash.ts";

export interface FlashFile {
  flash: SimFlash;
  /** True when the file did not exist and the flash starts erased. */
  created: boolean;
  close(): void;
}

export function openFlashFile(path: string, geometry: SimFlashOptions): FlashFile {
  const flash = new SimFlash(geometry);
  const size = geometry.pageSize * geometry.pageCount;
  const created = !existsSync(path);
  if (created) writeFileSync(path, flash.image());
  else {
    const bytes = readFileSync(path);
    if (bytes.length !== size) throw new Error(`${path}: ${bytes.length} bytes, the board's flash is ${size}`);
    flash.load(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  }
  const wearPath = path + ".wear.json";
  if (existsSync(wearPath)) flash.setEraseCounts(JSON.parse(readFileSync(wearPath, "utf8")) as number[]);
  const fd = openSync(path, "r+");

  const writeThrough = (start: number, length: number) => {
    const img = flash.image();
    writeSync(fd, img, start, length, start);
    fsyncSync(fd);
  };
  const program = flash.program.bind(flash);
  const erase = flash.erase.bind(flash);
  flash.program = (addr: number, bytes: Uint8Array) => {
    try {
      const r = program(addr, bytes);
      if (r === null) writeThrough(addr, bytes.length);
      return r;
    } catch (e) {
      writeThrough(addr, bytes.length); // a torn write is on the chip too
      throw e;
    }
  };
  flash.erase = (page: number) => {
    try {
      const r = erase(page);
      if (r === null) writeThrough(page * geometry.pageSize, geometry.pageSize);
      return r;
    } catch (e) {
      if (page >= 0 && page < geometry.pageCount) writeThrough(page * geometry.pageSize, geometry.pageSize);
      throw e;
    } finally {
      writeFileSync(wearPath, JSON.stringify(flash.eraseCounts()));
    }
  };
  return { flash, created, close: () => closeSync(fd) };
}
