/**
 * Flash over flashRead / flashProgram / flashErase. The NOR rules are enforced here before the
 * native call (ranges, ALIGN, page crossing, BITS by read-compare), so every board behaves the
 * same even if its C side only bounds-checks; the C side must still refuse anything outside the
 * firstlight area (docs/jerryscript-binding.md). ES5.
 */
import type { HalError } from "../errors";
import type { Flash } from "../flash";
import type { FirstlightNative } from "./native";
import { eraseError, programError, readInRange, setsBits } from "../nor-rules";

export function jerryFlash(nat: FirstlightNative): Flash {
  var info = nat.flashInfo();
  var P = info[0], count = info[1], ws = info[2], size = P * count;
  return {
    pageSize: P,
    pageCount: count,
    writeSize: ws,
    read: function (addr: number, length: number): Uint8Array | null {
      if (!readInRange(addr, length, size)) return null;
      return nat.flashRead(addr, length);
    },
    program: function (addr: number, bytes: Uint8Array): HalError | null {
      var n = bytes.length, bad = programError(addr, n, P, ws, size);
      if (bad) return bad;
      if (n === 0) return null;
      var cur = nat.flashRead(addr, n);
      if (!cur) return "FAIL";
      if (setsBits(bytes, cur, 0)) return "BITS";
      return nat.flashProgram(addr, bytes);
    },
    erase: function (page: number): HalError | null {
      return eraseError(page, count) || nat.flashErase(page);
    },
  };
}
