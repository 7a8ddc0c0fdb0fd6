import type { HalError } from "./errors";

/**
 * The NOR flash area given to firstlight (a board file says where and how big). Addresses are
 * offsets into that area, 0 … pageSize·pageCount − 1. NOR rules:
 *   - `erase(page)` sets every byte of the page to 0xFF;
 *   - `program(addr, bytes)` can only clear bits (1 → 0); asking to set a bit that is 0 is BITS;
 *   - `addr` and `bytes.length` are multiples of `writeSize` (ALIGN otherwise);
 *   - a program never crosses a page boundary (SIZE otherwise).
 * Calls are synchronous, as on every supported engine (Espruino's Flash, NodeMCU's file API).
 */
export interface Flash {
  readonly pageSize: number;
  readonly pageCount: number;
  /** Write granularity in bytes (1, 4 or 8). */
  readonly writeSize: number;
  /** Copies `length` bytes at `addr` into a new buffer (null when the range is outside the area). */
  read(addr: number, length: number): Uint8Array | null;
  program(addr: number, bytes: Uint8Array): HalError | null;
  erase(page: number): HalError | null;
}
