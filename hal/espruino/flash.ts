/**
 * Flash over Espruino's `require("Flash")` raw pages (docs/flash-format.md §7 says why not
 * `require("Storage")`). The board file gives the area: `flash.baseAddress` (absolute), page size,
 * page count and write size (4 on nRF5x, ESP32 and STM32: Espruino writes 32-bit words). The NOR
 * rules are enforced here before the module is called (ranges, ALIGN, page crossing, BITS by
 * read-compare), because `Flash.write` silently ANDs and `Flash.erasePage` takes any address.
 * An exception from the module (a SoftDevice flash timeout, a protected page) becomes FAIL. ES5.
 */
import type { HalError } from "../errors";
import type { Flash } from "../flash";
import type { EspruinoFlashModule } from "./espruino-globals";
import { eraseError, programError, readInRange, setsBits } from "../nor-rules";

export interface EspruinoFlashArea {
  baseAddress: number;
  pageSize: number;
  pageCount: number;
  writeSize: number;
}

/** `mod` is `require("Flash")` on the device (a mock in tests). Throws at once if the area does not match the chip's pages. */
export function espruinoFlash(mod: EspruinoFlashModule, area: EspruinoFlashArea): Flash {
  var base = area.baseAddress, P = area.pageSize, count = area.pageCount, ws = area.writeSize, size = P * count;
  for (var p = 0; p < count; p += count - 1 || 1) {
    var pg = mod.getPage(base + p * P);
    if (!pg || pg.addr !== base + p * P || pg.length !== P)
      throw new Error("Flash: page " + p + " of the area at 0x" + base.toString(16) + " is not a " + P + "-byte chip page");
  }
  return {
    pageSize: P,
    pageCount: count,
    writeSize: ws,
    read: function (addr: number, length: number): Uint8Array | null {
      if (!readInRange(addr, length, size)) return null;
      if (length === 0) return new Uint8Array(0);
      try {
        var b = mod.read(length, base + addr);
        // A copy: the caller may keep or change it.
        var out = new Uint8Array(length);
        out.set(b);
        return out;
      } catch (e) {
        return null;
      }
    },
    program: function (addr: number, bytes: Uint8Array): HalError | null {
      var n = bytes.length, bad = programError(addr, n, P, ws, size);
      if (bad) return bad;
      if (n === 0) return null;
      try {
        if (setsBits(bytes, mod.read(n, base + addr), 0)) return "BITS";
        var copy = new Uint8Array(n);
        copy.set(bytes);
        mod.write(copy, base + addr);
        return null;
      } catch (e) {
        return "FAIL";
      }
    },
    erase: function (page: number): HalError | null {
      var bad = eraseError(page, count);
      if (bad) return bad;
      try {
        mod.erasePage(base + page * P);
        return null;
      } catch (e) {
        return "FAIL";
      }
    },
  };
}
