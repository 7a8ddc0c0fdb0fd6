/**
 * The argument rules of hal/flash.ts, shared by every Flash driver so each board reports the same
 * HalError for the same mistake. ES5.
 */
import type { HalError } from "./errors";

/** A read of `length` bytes at `addr` stays inside an area of `size` bytes. */
export function readInRange(addr: number, length: number, size: number): boolean {
  return addr >= 0 && length >= 0 && addr % 1 === 0 && length % 1 === 0 && addr + length <= size;
}

/** SIZE (outside the area, or crossing a page), ALIGN (not on the write granularity), or null. */
export function programError(addr: number, n: number, pageSize: number, writeSize: number, size: number): HalError | null {
  if (!(addr >= 0) || addr % 1 !== 0 || addr + n > size) return "SIZE";
  if (addr % writeSize !== 0 || n % writeSize !== 0) return "ALIGN";
  if (n > 0 && Math.floor(addr / pageSize) !== Math.floor((addr + n - 1) / pageSize)) return "SIZE";
  return null;
}

/** Would programming `bytes` over `current[offset …]` have to turn a 0 bit back into 1 (BITS)? */
export function setsBits(bytes: Uint8Array, current: Uint8Array, offset: number): boolean {
  for (var i = 0; i < bytes.length; i++) if ((bytes[i] & ~current[offset + i]) !== 0) return true;
  return false;
}

/** SIZE unless `page` is a whole page number of an area of `count` pages. */
export function eraseError(page: number, count: number): HalError | null {
  return page >= 0 && page < count && page % 1 === 0 ? null : "SIZE";
}
