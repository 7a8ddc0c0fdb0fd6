/**
 * One page's bytes seen through a small buffer, so the store never holds a page in RAM (a board
 * with a 64 KB JavaScript heap cannot spare 4 KB for it beside the device). `span(o, n)` makes page
 * bytes [o, o + n) readable in `buf` and returns the index in `buf` where byte o is; n is at most
 * WINDOW. A span may replace `buf`: read `w.buf` after the call (`var i = w.span(o, n), b = w.buf`). A window over flash reads at most WINDOW bytes at a time (a read per move); a window over
 * a page already in RAM (tests, tools) reads nothing.
 */
import { wipe } from "../crypto/bytes";
import { fail } from "../errors";
import { IN_USE_MARK, UNIT } from "./format";

/** The most bytes a flash window reads at once (and the longest span it serves). */
export var WINDOW = 256;

export interface PageWindow {
  /** The page's size in bytes. */
  size: number;
  buf: Uint8Array;
  span(o: number, n: number): number;
  /** Wipes what the window may still hold of a key slot. */
  close(): void;
}

/** A window over a page held whole in RAM: b is the page (b.length ≥ P). */
export function bufferWindow(b: Uint8Array, P: number): PageWindow {
  return { size: P, buf: b, span: function (o: number) { return o; }, close: function () {} };
}

/**
 * A window over page bytes read by `read(offsetInPage, length)`. A dropped buffer that covered the
 * key slots (offsets below the in-use mark's end) is wiped: it may hold a seed.
 */
export function flashWindow(read: (o: number, n: number) => Uint8Array, P: number): PageWindow {
  var start = 0, len = 0;
  var w: PageWindow = {
    size: P,
    buf: new Uint8Array(0),
    span: function (o: number, n: number): number {
      if (o >= start && o + n <= start + len) return o - start;
      if (n > WINDOW || o < 0 || o + n > P) fail("STORE_IO", "page window: bytes " + o + " … " + (o + n) + " are outside the page or more than " + WINDOW);
      drop();
      start = o;
      len = Math.min(WINDOW, P - o);
      w.buf = read(start, len);
      return o - start;
    },
    close: drop,
  };
  function drop(): void {
    if (len > 0 && start < IN_USE_MARK + UNIT) wipe(w.buf);
    len = 0;
  }
  return w;
}

/** Page bytes [from, to) are all 0xFF. */
export function spanErased(w: PageWindow, from: number, to: number): boolean {
  for (var o = from; o < to; o += WINDOW) {
    var n = Math.min(WINDOW, to - o), i = w.span(o, n), b = w.buf;
    for (var k = i; k < i + n; k++) if (b[k] !== 0xff) return false;
  }
  return true;
}
