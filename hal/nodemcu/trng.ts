/**
 * Raw bytes from `node.random(0, 255)`. On the ESP8266 build (app/modules/node.c) it draws one
 * `os_random()` word per byte (rejection sampling keeps the byte uniform), and `os_random()` reads
 * the RNG register at 0x3FF20E44 (docs/boards.md, "nodemcu-esp8266"). NodeMCU's ESP32 branch has
 * no `node.random` (its components/modules/node.c lists none): the driver refuses to be built
 * there. The register is random only with the radio's PHY running: with
 * `wifi.getmode()` NULLMODE the driver answers OFF and reads nothing, and the gate asks again.
 *
 * Reads run in phases of PHASE bytes, each on a fresh timer turn, so a 256-byte read never holds
 * NodeMCU's task loop (its watchdog fires after ~3 s). Completion is always asynchronous. The
 * credit is the board file's `trng.bitsPerByte`, never this driver's. ES5 / Lua.
 */
import type { Done } from "../errors";
import type { Trng } from "../trng";
import type { NodeMcuNode, NodeMcuWifi } from "./nodemcu-modules";

var PHASE = 64;

export function nodemcuTrng(node: NodeMcuNode, wifi: NodeMcuWifi, defer: (fn: () => void) => void): Trng {
  // NodeMCU's ESP32 branch has no node.random (components/modules/node.c): such a board needs another source.
  if (typeof node.random !== "function") throw new Error("trng: this NodeMCU has no node.random (the ESP32 branch has none)");
  return {
    read: function (n: number, done: Done<Uint8Array>): void {
      if (!(n >= 1 && n <= 256) || n % 1 !== 0) {
        defer(function () {
          done("SIZE");
        });
        return;
      }
      if (wifi.getmode() === wifi.NULLMODE) {
        defer(function () {
          done("OFF");
        });
        return;
      }
      var out = new Uint8Array(n), i = 0;
      function phase(): void {
        var stop = i + PHASE < n ? i + PHASE : n;
        while (i < stop) {
          var r = node.random(0, 255);
          if (typeof r !== "number" || !(r >= 0 && r <= 255) || r % 1 !== 0) {
            for (var j = 0; j < n; j++) out[j] = 0;
            done("FAIL");
            return;
          }
          out[i++] = r;
        }
        if (i < n) defer(phase);
        else done(null, out);
      }
      defer(phase);
    },
  };
}
