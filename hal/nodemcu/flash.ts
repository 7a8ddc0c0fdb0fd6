/**
 * NOR pages on top of NodeMCU's `file` module (SPIFFS), which offers files, not raw pages.
 * The area is one file, `name`, of exactly pageSize × pageCount bytes, written in place
 * (`file.open(name, "r+")`, `seek`, `write`, `flush`): byte k of the file is byte k of the area
 * (docs/nodemcu-flash.md). This driver keeps the rules of hal/flash.ts that the store relies on:
 *   - erase(page) writes pageSize bytes of 0xFF at page × pageSize;
 *   - program(addr, bytes) reads what is there first and refuses (BITS) to turn a 0 bit into 1,
 *     then writes `bytes`, which therefore only clears bits;
 *   - ranges, ALIGN and page crossing are checked before the file is touched (hal/nor-rules.ts).
 *
 * The file is made on first use: `name`.new is filled with 0xFF and renamed to `name`, so a power
 * cut while it is made leaves no short area file behind. An area file of any other size is
 * refused (the constructor throws), never reformatted: it may hold the only copy of the keys.
 * Files are opened per call: NodeMCU has few file descriptors, and nothing is cached that a
 * reboot could lose. A file call that fails becomes FAIL. ES5 / Lua.
 */
import type { HalError } from "../errors";
import type { Flash } from "../flash";
import { eraseError, programError, readInRange, setsBits } from "../nor-rules";
import type { NodeMcuFileModule, NodeMcuFileObject } from "./nodemcu-modules";
import { bytesToString, erasedString, stringToBytes } from "./lua-bytes";

export interface NodeMcuFlashArea {
  pageSize: number;
  pageCount: number;
  writeSize: number;
}

/** The largest read or write handed to the file module at once (NodeMCU reads 1024 by default). */
export var FILE_CHUNK = 1024;

/** Reads `length` bytes at `addr` of an open file into a new array, or null if the file is short. */
function readAt(fd: NodeMcuFileObject, addr: number, length: number): Uint8Array | null {
  var out = new Uint8Array(length), got = 0;
  if (fd.seek("set", addr) !== addr) return null;
  while (got < length) {
    var want = length - got < FILE_CHUNK ? length - got : FILE_CHUNK;
    var s = fd.read(want);
    if (s === undefined || s === null || s.length === 0) return null;
    stringToBytes(s, out, got);
    got += s.length;
  }
  return out;
}

/** Writes `s` at `addr` of an open file in chunks; false when the file module fails. */
function writeAt(fd: NodeMcuFileObject, addr: number, s: string): boolean {
  if (fd.seek("set", addr) !== addr) return false;
  for (var at = 0; at < s.length; at += FILE_CHUNK) {
    if (fd.write(s.substring(at, at + FILE_CHUNK)) !== true) return false;
  }
  fd.flush();
  return true;
}

/** Makes the area file when it is missing; throws when one of another size is there. */
function ensureAreaFile(file: NodeMcuFileModule, name: string, size: number, pageSize: number): void {
  var sizes = file.list(), have = sizes[name];
  if (typeof have === "number") {
    if (have !== size) throw new Error("flash: the area file " + name + " is " + have + " bytes, not " + size + ": refusing to touch it");
    return;
  }
  var tmp = name + ".new";
  if (typeof sizes[tmp] === "number") file.remove(tmp);
  var fd = file.open(tmp, "w");
  if (fd === undefined || fd === null) throw new Error("flash: cannot create " + tmp);
  var page = erasedString(pageSize), ok = true;
  for (var at = 0; at < size && ok; at += pageSize) ok = writeAt(fd, at, page);
  fd.close();
  if (!ok || file.rename(tmp, name) !== true) throw new Error("flash: cannot make the area file " + name);
}

export function nodemcuFileFlash(file: NodeMcuFileModule, name: string, area: NodeMcuFlashArea): Flash {
  var P = area.pageSize, count = area.pageCount, ws = area.writeSize, size = P * count;
  ensureAreaFile(file, name, size, P);
  function open(mode: string): NodeMcuFileObject | null {
    var fd = file.open(name, mode);
    return fd === undefined ? null : fd;
  }
  return {
    pageSize: P,
    pageCount: count,
    writeSize: ws,
    read: function (addr: number, length: number): Uint8Array | null {
      if (!readInRange(addr, length, size)) return null;
      if (length === 0) return new Uint8Array(0);
      var fd = open("r");
      if (fd === null) return null;
      var out = readAt(fd, addr, length);
      fd.close();
      return out;
    },
    program: function (addr: number, bytes: Uint8Array): HalError | null {
      var n = bytes.length, bad = programError(addr, n, P, ws, size);
      if (bad !== null) return bad;
      if (n === 0) return null;
      var fd = open("r+");
      if (fd === null) return "FAIL";
      var current = readAt(fd, addr, n), err: HalError | null = null;
      if (current === null) err = "FAIL";
      else if (setsBits(bytes, current, 0)) err = "BITS";
      else if (!writeAt(fd, addr, bytesToString(bytes, 0, n))) err = "FAIL";
      fd.close();
      return err;
    },
    erase: function (page: number): HalError | null {
      var bad = eraseError(page, count);
      if (bad !== null) return bad;
      var fd = open("r+");
      if (fd === null) return "FAIL";
      var ok = writeAt(fd, page * P, erasedString(P));
      fd.close();
      return ok ? null : "FAIL";
    },
  };
}
