import type { Flash } from "./flash";
import type { HalError } from "./errors";

/**
 * A window of whole pages of a larger Flash, itself a Flash: how the store and the audit log share
 * one board area without seeing each other's pages. Addresses are translated, never widened.
 */
export function flashRegion(flash: Flash, firstPage: number, pageCount: number): Flash {
  if (firstPage < 0 || pageCount < 1 || firstPage + pageCount > flash.pageCount || firstPage % 1 !== 0 || pageCount % 1 !== 0) {
    throw new Error("flashRegion: pages " + firstPage + "+" + pageCount + " do not fit in " + flash.pageCount);
  }
  var base = firstPage * flash.pageSize, size = pageCount * flash.pageSize;
  function inside(addr: number, length: number): boolean {
    return addr >= 0 && length >= 0 && addr + length <= size && addr % 1 === 0;
  }
  return {
    pageSize: flash.pageSize,
    pageCount: pageCount,
    writeSize: flash.writeSize,
    read: function (addr: number, length: number): Uint8Array | null {
      return inside(addr, length) ? flash.read(base + addr, length) : null;
    },
    program: function (addr: number, bytes: Uint8Array): HalError | null {
      return inside(addr, bytes.length) ? flash.program(base + addr, bytes) : "SIZE";
    },
    erase: function (page: number): HalError | null {
      return page >= 0 && page < pageCount && page % 1 === 0 ? flash.erase(firstPage + page) : "SIZE";
    },
  };
}
