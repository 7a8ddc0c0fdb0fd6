/** SHA-512: every NIST CAVP ShortMsg, LongMsg and Monte vector, streaming in uneven chunks, misuse errors. */
import type { Check } from "../runner";
import { view } from "../../../firmware/crypto/bytes";

interface Data { short: string[][]; long: string[][]; monte: { seed: string; mds: string[] } }

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
    m = c.fromHex(v[0]);
    t.eqHex(c.sha512(m), v[1], "LongMsg #" + i + " (" + m.length + " bytes)");
    // Streaming: chunk sizes cycle through CHUNKS from a per-vector starting point.
    var h = new c.Sha512(), p = 0, k = i;
    while (p < m.length) {
      var n = CHUNKS[k++ % CHUNKS.length];
      h.update(view(m, p, Math.min(p + n, m.length)));
      p += n;
    }
    t.eqHex(h.digest(), v[1], "LongMsg #" + i + " streamed in uneven chunks");
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
