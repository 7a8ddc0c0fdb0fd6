/** SHA-512: every NIST CAVP ShortMsg, LongMsg and Monte vector, streaming in uneven chunks, misuse errors;
 * long messages may arrive in parts (test-sim/selftest/long-message.ts). */
import type { Check } from "../runner";
import { view } from "../../../firmware/crypto/bytes";
import { feedPart, isPart, type MessagePart } from "../long-message";

/** A long message is hex, or { base64: parts } when it is over 4 KB (see the loader): hashed from its encoding. */
interface Data { short: string[][]; long: (string | { base64: string[] })[][]; monte: { seed: string; mds: string[] } }

var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Bytes of every base64 part but the last (1 024 characters). */
var PART_BYTES = 768;

/** Bytes that padded base64 parts (RFC 4648 §4; only the last part is padded) encode. */
function base64Length(parts: string[]): number {
  var s = parts[parts.length - 1], n = s.length;
  return (parts.length - 1) * PART_BYTES + (n / 4) * 3 - (s.charAt(n - 1) !== "=" ? 0 : s.charAt(n - 2) === "=" ? 2 : 1);
}

/** Byte j of what base64 parts encode ("=" is not in B64: its -1 only reaches bytes past the end). */
function base64Byte(parts: string[], j: number): number {
  var q = (j / PART_BYTES) | 0, s = parts[q], b = j - q * PART_BYTES, o = ((b / 3) | 0) * 4;
  var x = (B64.indexOf(s.charAt(o)) << 18) | (B64.indexOf(s.charAt(o + 1)) << 12) |
    ((B64.indexOf(s.charAt(o + 2)) & 63) << 6) | (B64.indexOf(s.charAt(o + 3)) & 63);
  return (x >>> (16 - 8 * (b % 3))) & 255;
}

/**
 * SHA-512 of the message base64 parts encode, fed in chunks of the lengths `size(k)` gives, each
 * chunk decoded alone: the whole message is never in memory beside its encoding.
 */
function hashBase64(c: any, parts: string[], size: (k: number) => number): Uint8Array {
  var h = new c.Sha512(), total = base64Length(parts), p = 0, k = 0;
  while (p < total) {
    var n = Math.min(size(k++), total - p), b = new Uint8Array(n);
    for (var j = 0; j < n; j++) b[j] = base64Byte(parts, p + j);
    h.update(b);
    p += n;
  }
  return h.digest();
}

/** Chunk lengths that straddle the 128-byte block and 112-byte padding boundaries. */
var CHUNKS = [1, 127, 128, 129, 3, 111, 112, 255, 256, 257, 7, 400];

export function run(fl: any, data: Data, t: Check): void {
  var c = fl.crypto, i, j, v, m;
  for (i = 0; i < data.short.length; i++) {
    v = data.short[i];
    t.eqHex(c.sha512(c.fromHex(v[0])), v[1], "ShortMsg #" + i + " (" + v[0].length / 2 + " bytes)");
  }
  for (i = 0; i < data.long.length; i++) {
    v = data.long[i];
    if (isPart(v)) { feedPart(c, c.Sha512, CHUNKS, v as any as MessagePart, t, "LongMsg"); continue; }
    if (typeof v[0] !== "string") {
      // Over 4 KB: hashed straight from its base64 in 1 KB chunks (no larger block to find in a
      // fragmented 64 KB heap), then in the uneven chunks.
      var b64 = (v[0] as { base64: string[] }).base64, from = i;
      t.eqHex(hashBase64(c, b64, function () { return 1024; }), v[1] as string, "LongMsg #" + i + " (" + base64Length(b64) + " bytes, in 1 KB chunks)");
      t.eqHex(hashBase64(c, b64, function (k: number) { return CHUNKS[(from + k) % CHUNKS.length]; }), v[1] as string, "LongMsg #" + i + " streamed in uneven chunks");
      continue;
    }
    m = c.fromHex(v[0]);
    t.eqHex(c.sha512(m), v[1] as string, "LongMsg #" + i + " (" + m.length + " bytes)");
    // Streaming: chunk sizes cycle through CHUNKS from a per-vector starting point.
    var h = new c.Sha512(), p = 0, k = i;
    while (p < m.length) {
      var n = CHUNKS[k++ % CHUNKS.length];
      h.update(view(m, p, Math.min(p + n, m.length)));
      p += n;
    }
    t.eqHex(h.digest(), v[1] as string, "LongMsg #" + i + " streamed in uneven chunks");
  }
  if (!t.first) return; // one-off checks: on the first piece only
  // Monte Carlo (SHAVS §6.4): M_i = MD_{i-3} || MD_{i-2} || MD_{i-1}, 1000 times per checkpoint.
  var seed = c.fromHex(data.monte.seed), buf = new Uint8Array(192), md;
  for (j = 0; j < data.monte.mds.length; j++) {
    buf.set(seed, 0); buf.set(seed, 64); buf.set(seed, 128);
    for (i = 0; i < 1000; i++) {
      md = c.sha512(buf);
      buf.set(view(buf, 64, 192), 0);
      buf.set(md, 128);
    }
    t.eqHex(md, data.monte.mds[j], "Monte checkpoint " + j);
    seed = md;
  }
  var d = new c.Sha512();
  d.update(c.fromHex("616263"));
  t.eqHex(d.digest(), "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f", "streaming abc");
  t.throwsCode(function () { d.update(new Uint8Array(1)); }, "CRYPTO_BAD_STATE", "update after digest");
  t.throwsCode(function () { d.digest(); }, "CRYPTO_BAD_STATE", "digest twice");
  t.throwsCode(function () { c.sha512("abc"); }, "CRYPTO_BAD_INPUT", "sha512 of a string");
  t.throwsCode(function () { new c.Sha512().update([1, 2]); }, "CRYPTO_BAD_INPUT", "update with an array");
}
