/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF): the
 * integrity check of the store's headers, so that a torn or rotted header is told apart from a
 * valid one before its length field is trusted. Not a MAC: authenticity comes from the AEAD.
 * Table-driven (1 KB, built once) because mount runs it over every header of every page.
 */
var TABLE: Uint32Array | null = null;

function table(): Uint32Array {
  if (TABLE) return TABLE;
  var t = new Uint32Array(256);
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return (TABLE = t);
}

/** CRC-32 of b[start … end). */
export function crc32(b: Uint8Array, start: number, end: number): number {
  var t = table(), c = 0xffffffff;
  for (var i = start; i < end; i++) c = t[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
