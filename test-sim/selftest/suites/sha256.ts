/** SHA-256: every NIST CAVP ShortMsg, LongMsg and Monte vector, streaming in uneven chunks, misuse errors;
 * long messages may arrive in parts (test-sim/selftest/long-message.ts). */
import type { Check } from "../runner";
import { view } from "../../../firmware/crypto/bytes";
import { feedPart, isPart, type MessagePart } from "../long-message";

interface Data { short: string[][]; long: string[][]; monte: { seed: string; mds: string[] } }

/** Chunk lengths that straddle the 64-byte block and 56-byte padding boundaries. */
var CHUNKS = [1, 63, 64, 65, 3, 55, 56, 127, 128, 129, 7, 200];

export function run(fl: any, data: Data, t: Check): void {
  var c = fl.crypto, i, j, v, m;
  for (i = 0; i < data.short.length; i++) {
    v = data.short[i];
    t.eqHex(c.sha256(c.fromHex(v[0])), v[1], "ShortMsg #" + i + " (" + v[0].length / 2 + " bytes)");
  }
  for (i = 0; i < data.long.length; i++) {
    v = data.long[i];
    if (isPart(v)) { feedPart(c, c.Sha256, CHUNKS, v as any as MessagePart, t, "LongMsg"); continue; }
    m = c.fromHex(v[0]);
    t.eqHex(c.sha256(m), v[1], "LongMsg #" + i + " (" + m.length + " bytes)");
    // Streaming: chunk sizes cycle through CHUNKS from a per-vector starting point.
    var h = new c.Sha256(), p = 0, k = i;
    while (p < m.length) {
      var n = CHUNKS[k++ % CHUNKS.length];
      h.update(view(m, p, Math.min(p + n, m.length)));
      p += n;
    }
    t.eqHex(h.digest(), v[1], "LongMsg #" + i + " streamed in uneven chunks");
  }
  if (!t.first) return; // one-off checks: on the first piece only
  // Monte Carlo (SHAVS §6.4): M_i = MD_{i-3} || MD_{i-2} || MD_{i-1}, 1000 times per checkpoint.
  var seed = c.fromHex(data.monte.seed), buf = new Uint8Array(96), md;
  for (j = 0; j < data.monte.mds.length; j++) {
    buf.set(seed, 0); buf.set(seed, 32); buf.set(seed, 64);
    for (i = 0; i < 1000; i++) {
      md = c.sha256(buf);
      buf.set(view(buf, 32, 96), 0);
      buf.set(md, 64);
    }
    t.eqHex(md, data.monte.mds[j], "Monte checkpoint " + j);
    seed = md;
  }
  var d = new c.Sha256();
  d.update(c.fromHex("616263"));
  t.eqHex(d.digest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "streaming abc");
  t.throwsCode(function () { d.update(new Uint8Array(1)); }, "CRYPTO_BAD_STATE", "update after digest");
  t.throwsCode(function () { d.digest(); }, "CRYPTO_BAD_STATE", "digest twice");
  t.throwsCode(function () { c.sha256("abc"); }, "CRYPTO_BAD_INPUT", "sha256 of a string");
  t.throwsCode(function () { new c.Sha256().update([1, 2]); }, "CRYPTO_BAD_INPUT", "update with an array");
}
