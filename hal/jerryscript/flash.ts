/**
 * Flash over flashRead / flashProgram / flashErase. The NOR rules are enforced here before the
 * native call (ranges, ALIGN, page crossing, BITS by read-compare), so every board behaves the
 * same even if its C side only bounds-checks; the C side must still refuse anything outside the
 * firstlight area (docs/jerryscript-binding.md). ES5.
 */
import type { HalError } from "../errors";
import type { Flash } from "../flash";
import type { FirstlightNative } from "./native";

export function jerryFlash(nat: FirstlightNative): Flash {
  var info = nat.flashInfo();
  var P = info[0], count = info[1], ws = info[2], size = P * count;
  return {
    pageSize: P,
    pageCount: count,
    writeSize: ws,
    read: function (addr: number, length: number): Uint8Array | null {
      if (!(addr >= 0 && length >= 0) || addr % 1 || length % 1 || addr + length > size) return null;
      return nat.flashRead(addr, length);
    },
    program: function (addr: number, bytes: Uint8Array): HalError | null {
      var n = bytes.length;
      if (!(addr >= 0) || addr % 1 || addr + n > size) return "SIZE";
      if (addr % ws || n % ws) return "ALIGN";
      if (n === 0) return null;
      if (Math.floor(addr / P) !== Math.floor((addr + n - 1) / P)) return "SIZE";
      var cur = nat.flashRead(addr, n);
      if (!cur) return "FAIL";
      for (var i = 0; i < n; i++) if (bytes[i] & ~cur[i]) return "BITS";
      return nat.flashProgram(addr, bytes);
    },
    erase: function (page: number): HalError | null {
      if (!(page >= 0 && page < count) || page % 1) return "SIZE";
      return nat.flashErase(page);
    },
  };
}
