/**
 * Assembles a Hal on a NodeMCU board from its board file and the NodeMCU modules: `node.random`
 * TRNG, the file-backed NOR area (built by the caller), `gpio` button and LED, `tmr` clock, a
 * `net` TCP server for the commissioner, `node.restart` to reboot. No hardware secret is
 * reachable from Lua: the caller passes the root-page secret (hal/espruino/flash-root.ts, which
 * works on any Flash). ES5 / Lua.
 */
import type { BoardConfig } from "../board-config";
import type { DeviceSecret } from "../device-secret";
import type { Flash } from "../flash";
import type { Hal } from "../index";
import type { Link } from "../link";
import { nodemcuButton } from "./button";
import type { NodeMcuClock } from "./clock";
import { nodemcuLed } from "./led";
import { nodemcuLinkServer } from "./link";
import type { NodeMcuEnv } from "./nodemcu-modules";
import { nodemcuTrng } from "./trng";

/** A NodeMCU pin index from the board file ("3" → 3); throws on anything else. */
export function nodemcuPin(pin: string): number {
  var n = Number(pin);
  if (!(n >= 0 && n <= 12) || n % 1 !== 0) throw new Error("board: NodeMCU pin index 0…12 expected, got " + pin);
  return n;
}

export function createNodeMcuHal(board: BoardConfig, env: NodeMcuEnv, clock: NodeMcuClock, flash: Flash, secret: DeviceSecret | null, port: number): Hal {
  var server = nodemcuLinkServer(env.net, port);
  return {
    board: board,
    trng: nodemcuTrng(env.node, env.wifi, function (fn: () => void) {
      clock.after(0, fn);
    }),
    jitter: null,
    button: nodemcuButton(env.gpio, clock, nodemcuPin(board.button.pin), board.button.activeLow),
    led: board.led !== null ? nodemcuLed(env.gpio, nodemcuPin(board.led.pin), board.led.activeLow) : null,
    clock: clock,
    flash: flash,
    secret: secret,
    accel: null,
    onLink: function (handler: (link: Link) => void): void {
      server.start(handler);
    },
    reboot: function (): void {
      env.node.restart();
    },
  };
}
