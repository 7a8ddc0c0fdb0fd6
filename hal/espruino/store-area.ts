/**
 * The boot check that firstlight's NOR area (board file `flash`) stays clear of Espruino's Storage
 * (board file `storage`, the stock build's saved-code area), which erases pages in place when it
 * compacts. Two layouts pass:
 *  - the area lies outside Storage and, where the firmware reports them (require("Flash").getFree()
 *    on nRF52 and ESP32), inside one free area — so a firmware grown into it is caught;
 *  - the area is the top of a Storage that fills from the bottom (the Linux build, whose Storage and
 *    getFree() both span the whole flash), and Storage's used end (getStats) is still below it.
 * Returns null when the area is clear, else why not. ES5.
 */
import type { BoardConfig } from "../board-config";

export interface FreeArea { addr: number; length: number }
export interface StorageUse { totalBytes: number; freeBytes: number }

function hex(n: number): string {
  return "0x" + n.toString(16);
}

export function storeAreaProblem(board: BoardConfig, free: FreeArea[] | null, use: StorageUse): string | null {
  var st = board.storage;
  if (!st) return "board " + board.name + " names no Storage area (board file: storage)";
  var a = board.flash.baseAddress, aEnd = a + board.flash.pageSize * board.flash.pageCount;
  var s = st.baseAddress, sEnd = s + st.bytes;
  var what = "firstlight's area " + hex(a) + "-" + hex(aEnd - 1);
  if (aEnd <= s || a >= sEnd) {
    if (free === null) return null;
    for (var i = 0; i < free.length; i++) if (free[i].addr <= a && aEnd <= free[i].addr + free[i].length) return null;
    return what + " is not inside a free flash area of this firmware (require(\"Flash\").getFree())";
  }
  if (aEnd !== sEnd) return what + " overlaps Storage " + hex(s) + "-" + hex(sEnd - 1) + " and is not its top";
  if (!(use.totalBytes === st.bytes)) return "Storage reports " + use.totalBytes + " bytes, the board file says " + st.bytes;
  var usedEnd = s + (use.totalBytes - use.freeBytes);
  if (usedEnd > a) return "Storage is used up to " + hex(usedEnd - 1) + ", into " + what + ": remove Storage files (or erase the flash) before the store is lost";
  return null;
}
