/**
 * Assembles the simulator's Hal from its parts. The TRNG and the flash are built by the caller
 * (hal/sim/trng.ts, hal/sim/flash.ts or a file-backed flash), so a test can hand in a scripted
 * source or a flash that loses power. ES5.
 */
import type { BoardConfig } from "../board-config";
import type { Clock } from "../clock";
import type { Flash } from "../flash";
import type { Hal } from "../index";
import type { Link } from "../link";
import type { Trng } from "../trng";
import { SimButton } from "./button";
import { simDeviceSecret } from "./device-secret";
import { SimLed } from "./led";

export interface SimHalOptions {
  board: BoardConfig;
  clock: Clock;
  trng: Trng;
  /** The board's second source (timing jitter), when its file has `jitter`. */
  jitter?: Trng | null;
  flash: Flash;
  /** 32 bytes, or null for a board without a hardware secret. */
  secret: Uint8Array | null;
  button?: SimButton;
  /** Defaults to a new SimLed when the board has an LED. */
  led?: SimLed;
}

export interface SimHal extends Hal {
  button: SimButton;
  led: SimLed | null;
  /** Hands a new link to the firmware (the "commissioner connected" event). */
  connect(link: Link): void;
  /** What `reboot()` does: the main job restarts the device; tests count reboots. */
  onReboot(fn: () => void): void;
  reboots(): number;
}

export function createSimHal(opts: SimHalOptions): SimHal {
  var linkHandler: ((link: Link) => void) | null = null;
  var waiting: Link[] = [];
  var rebootFn: (() => void) | null = null;
  var rebootCount = 0;
  var button = opts.button || new SimButton(opts.clock);
  var led = opts.led || (opts.board.led ? new SimLed(opts.clock) : null);
  return {
    board: opts.board,
    trng: opts.trng,
    jitter: opts.jitter || null,
    button: button,
    led: led,
    clock: opts.clock,
    flash: opts.flash,
    secret: simDeviceSecret(opts.secret),
    onLink: function (handler: (link: Link) => void): void {
      linkHandler = handler;
      var w = waiting;
      waiting = [];
      for (var i = 0; i < w.length; i++) handler(w[i]);
    },
    connect: function (link: Link): void {
      if (linkHandler) linkHandler(link);
      else waiting.push(link);
    },
    reboot: function (): void {
      rebootCount++;
      if (rebootFn) rebootFn();
    },
    onReboot: function (fn: () => void): void {
      rebootFn = fn;
    },
    reboots: function (): number {
      return rebootCount;
    },
  };
}
