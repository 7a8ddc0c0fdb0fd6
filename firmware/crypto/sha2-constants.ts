/**
 * FIPS 180-4 constants shared by SHA-256 and SHA-512, in one table of 176 32-bit words:
 *  - words 0..15: SHA-512 H(0) (§5.3.5) as hi, lo pairs;
 *  - words 16..175: SHA-512 K_0..K_79 (§4.2.3) as hi, lo pairs.
 * SHA-256 takes 32 bits of the same square and cube roots where SHA-512 takes 64, so its H(0)
 * (§5.3.3) is the first 8 hi words and its K (§4.2.2) the first 64 hi words of K.
 * Stored as base64 of the big-endian words: 939 characters in the image instead of ~2.6 KB of
 * decimal literals for the two files' tables. Every NIST and RFC vector checks every word.
 */

var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes the first `n` big-endian 32-bit words of base64 `s` (no padding needed). */
function decodeWords(s: string, n: number): Uint32Array {
  var out = new Uint32Array(n), acc = 0, bits = 0, i = 0, j = 0, scale: number, w: number;
  while (j < n) {
    // acc < 2^38 throughout: exact in a double.
    acc = acc * 64 + B64.indexOf(s.charAt(i++));
    bits += 6;
    if (bits >= 32) {
      bits -= 32;
      scale = 1 << bits;
      w = Math.floor(acc / scale);
      out[j++] = w;
      acc -= w * scale;
    }
  }
  return out;
}

export var SHA2_WORDS = decodeWords(
  "agnmZ/O8yQi7Z66FhMqnOzxu83L+lPgrpU/1Ol8dNvFRDlJ/reaC0ZsFaIwrPmwfH4PZq/tBvWtb4M0ZE34heUKKL5jXKK4i" +
  "cTdEkSPvZc21wPvP7E07L+m126WBidu8OVbCW/NItThZ8RHxtgXQGZI/gqSvGU+bqxxe1dptgRjYB6qYowMCQhKDWwFFcG++" +
  "JDGFvk7ksoxVDH3D1f+04nK+XXTye4lvgN6x/jsWlrGb3AanJccSNcGb8XTPaSaU5JtpwZ7xStLvvkeGOE8l4w/BncaLjNW1" +
  "JAyhzHesnGUt6SxvWSsCdUp0hKpupuSDXLCp3L1B+9R2+YjagxFTtZg+UVLuZt+rqDHGbS20MhCwAyfImPshP79Zf8e+7w7k" +
  "xuAL8z2oj8LVp5FHkwqnJQbKY1HgA4JvFCkpZwoObnAntwqFRtIv/C4bIThcJskmTSxt/FrEKu1TOA0TnZWz32UKc1SLr2Pe" +
  "dmoKuzx3sqiBwskuR+2u5pJyLIUUgjU7or/ooUzxA2SoGmZLvEIwAcJLi3DQ+JeRx2xRowZUvjDRkugZ1u9SGNaZBiRVZakQ" +
  "9A41hVdxICoQaqBwMrvRuBmkwRa40tDIHjdsCFFBq1MnSHdM347rmTSwvLXhm0ioORwMs8XJWmNO2KpK40GKy1ucyk93Y+Nz" +
  "aC5v89ayuKN0j4LuXe+y/HilY29DFy9ghMh4FKHwq3KMxwIIGmQ57JC+//ojYx4opFBs696Cvem++aP3ssZ5FcZxePLjclMr" +
  "yic+zuomYZzRhrjHIcDCB+rafdbN4Ose9X1Pf+5u0XgG8GeqchdvugpjfcWiyJimET+YBL75Da4bcQs1ExxHGyjbd/UjBH2E" +
  "Msqre0DHJJM8nr4KFcm+vEMdZ8ScEA1MTMXUvss+QrZZfymc/GV+Kl/Lb6s61vrsbEQZjEpHWBc",
  176
);
