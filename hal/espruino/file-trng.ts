/**
 * Raw bytes from a random device file through E.openFile (the FILESYSTEM library): on the Linux
 * build, /dev/urandom. The file is opened and closed on every read, so nothing stays open between
 * reads. A short or failed read fails the whole request with FAIL (and wipes what was read); a
 * missing E.openFile is a driver error at start-up. Completion is always asynchronous. What the
 * bytes are worth is the board file's `trng.bitsPerByte` (boards/espruino-linux.json says why). ES5.
 */
import type { Done } from "../errors";
import type { Trng } from "../trng";
import type { EspruinoEnv } from "./espruino-globals";

export function espruinoFileTrng(env: EspruinoEnv, path: string): Trng {
  var E = env.E;
  if (typeof E.openFile !== "function") throw new Error("TRNG: this Espruino build has no E.openFile (FILESYSTEM), cannot read " + path);
  function readAll(n: number): Uint8Array | null {
    var f = (E.openFile as (p: string, m: string) => { read(k: number): string | undefined; close(): void })(path, "r");
    var s = "";
    try {
      while (s.length < n) {
        var part = f.read(n - s.length);
        if (typeof part !== "string" || part.length === 0) break;
        s += part;
      }
    } finally {
      f.close();
    }
    if (s.length !== n) return null;
    return E.toUint8Array(s);
  }
  return {
    read: function (n: number, done: Done<Uint8Array>): void {
      env.setTimeout(function () {
        if (!(n >= 1 && n <= 256) || n % 1) return done("SIZE");
        var out: Uint8Array | null = null;
        try {
          out = readAll(n);
        } catch (e) {
          out = null;
        }
        if (out === null || out.length !== n) {
          if (out) for (var i = 0; i < out.length; i++) out[i] = 0;
          return done("FAIL");
        }
        done(null, out);
      }, 0);
    },
  };
}
