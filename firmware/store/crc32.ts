/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF): the
 * integrity check of the store's headers, so that a torn or rotted header is told apart from a
 * valid one before its length field is trusted. Not a MAC: authenticity comes from the AEAD.
 * Driven by a 16-entry table, four bits at a time (built once, 64 bytes): mount runs it over
 * every header of every page, so it is not bit by bit, and a 256-entry table (1 KB) would cost
 * about 55 variables on Espruino for as long as the firmware runs (docs/engines.md, "Memory on
 * Espruino").
 */
var TABLE: Uint32Array | null = null;

function table(): Uint32Array {
  if (TABLE) return TABLE;
  var t = new Uint32Array(16);
  for (var n = 0; n < 16; n++) {
    var c = n;
    for (var k = 0; k < 4; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return (TABLE = t);
}

/** CRC-32 of b[start … end): each byte's low four bits, then its high four (the CRC is reflected). */
export function crc32(b: Uint8Array, start: number, end: number): number {
  var t = table(), c = 0xffffffff;
  for (var i = start; i < end; i++) {
    c = t[(c ^ b[i]) & 15] ^ (c >>> 4);
    c = t[(c ^ (b[i] >>> 4)) & 15] ^ (c >>> 4);
  }
  return (c ^ 0xffffffff) >>> 0;
}
