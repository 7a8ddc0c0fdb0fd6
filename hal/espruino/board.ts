/**
 * Assembles a Hal on an Espruino board from its board file. The Flash driver (hal/espruino/flash.ts,
 * over require("Flash")) is built by the caller, which knows the board's NOR area.
 *
 * The link: a wired board passes its UART (`Serial1`) and gets one link at once; a BLE board
 * passes `Bluetooth` with `NRF` as `events`, and gets a new link on every 'connect', closed on
 * 'disconnect'. A TCP board passes `server` and gets a link per connection (the firmware answers a
 * second one with ERROR BUSY). While the console is on the same device, Espruino feeds incoming bytes to the
 * REPL instead of 'data': `onSession` is where the image moves the console away
 * (e.g. `LoopbackA.setConsole(true)`) and back when the session ends. ES5.
 */
import type { Accel } from "../accel";
import type { BoardConfig } from "../board-config";
import type { DeviceSecret } from "../device-secret";
import type { Flash } from "../flash";
import type { Hal } from "../index";
import type { Link } from "../link";
import type { Button } from "../button";
import type { Led } from "../led";
import type { Trng } from "../trng";
import type { EspruinoLinkServer } from "./net-link";
import { espruinoButton } from "./button";
import { espruinoClock, type EspruinoClock } from "./clock";
import { espruinoGlobals } from "./env";
import type { EspruinoConnectionEvents, EspruinoEnv, EspruinoSerial } from "./espruino-globals";
import { espruinoLed } from "./led";
import { espruinoLink, type EspruinoLink } from "./link";
import { espruinoTrng } from "./trng";
import { espRngTrng, espruinoWifiOn, ESP32_RNG_DATA_REG, ESP8266_RNG_REG, ESP32_MIN_INTERVAL_S } from "./esp-rng";
import { jitterTrng } from "./jitter";

export interface EspruinoHalOptions {
  /** Defaults to the real globals. */
  env?: EspruinoEnv;
  /** The device the commissioner talks through (Serial1, Bluetooth, USB). */
  device?: EspruinoSerial;
  /** Connection events of that device (NRF for Bluetooth); absent = always connected. */
  events?: EspruinoConnectionEvents;
  /** Ends a session from our side (NRF.disconnect). */
  disconnect?: () => void;
  /** Called with true when a session starts and false when it ends (console hand-over). */
  onSession?: (active: boolean) => void;
  secret?: DeviceSecret | null;
  /** E.reboot on the device. */
  reboot?: () => void;
  /** Espruino's global peek32: boards whose `trng.source` is "esp32-rng" or "esp8266-rng" read their RNG register with it. */
  peek32?: (address: number) => number;
  /** Espruino's `require`, for require("Wifi").getStatus() (is the radio on) on those boards. */
  require?: (name: string) => any;
  /** The board's native crypto (espruinoAccel in hal/espruino/accel.ts); absent = portable. */
  accel?: Accel | null;
  /** A server handing out one link per connection (TCP, hal/espruino/net-link.ts) instead of `device`. */
  server?: EspruinoLinkServer;
  /** Drivers replacing the E.hwRand TRNG and the setWatch/digitalWrite button and LED (e.g. /dev/urandom, virtual ones). */
  trng?: Trng;
  /** The clock a replacement button stamps its edges with (default: a new one over env). */
  clock?: EspruinoClock;
  button?: Button;
  led?: Led | null;
}

/** The board's raw source: the ESP RNG register where the board file says so, else E.hwRand(). */
function boardTrng(board: BoardConfig, env: EspruinoEnv, o: EspruinoHalOptions): Trng {
  var src = board.trng.source;
  if (src !== "esp32-rng" && src !== "esp8266-rng") return espruinoTrng(env);
  if (typeof o.peek32 !== "function" || typeof o.require !== "function")
    throw new Error("board " + board.name + " reads its RNG register with peek32: pass opts.peek32 and opts.require");
  return espRngTrng({ peek32: o.peek32, getTime: env.getTime, setTimeout: env.setTimeout }, {
    address: src === "esp32-rng" ? ESP32_RNG_DATA_REG : ESP8266_RNG_REG,
    minIntervalS: ESP32_MIN_INTERVAL_S,
    radioOn: espruinoWifiOn(o.require),
  });
}

export function createEspruinoHal(board: BoardConfig, flash: Flash, opts?: EspruinoHalOptions): Hal {
  var o = opts || {};
  var env = o.env || espruinoGlobals();
  var clock = o.clock || espruinoClock(env);
  var current: EspruinoLink | null = null;

  function open(handler: (link: Link) => void): void {
    if (!o.device) return;
    if (current) current.peerClosed();
    if (o.onSession) o.onSession(true);
    var link = espruinoLink(env, o.device, o.disconnect);
    current = link;
    handler(wrap(link));
  }

  // The firmware's onClose must also end the session (console back), whoever closed.
  function wrap(link: EspruinoLink): Link {
    var user: (() => void) | null = null;
    link.onClose(function () {
      if (current === link) current = null;
      if (o.onSession) o.onSession(false);
      if (user) user();
    });
    return {
      send: link.send,
      onReceive: link.onReceive,
      onClose: function (h: () => void): void {
        user = h;
      },
      close: link.close,
    };
  }

  return {
    board: board,
    trng: o.trng || boardTrng(board, env, o),
    jitter: board.jitter ? jitterTrng({ getTime: env.getTime, setTimeout: env.setTimeout }) : null,
    button: o.button || espruinoButton(env, clock, board.button.pin, board.button.activeLow),
    led: o.led !== undefined ? o.led : board.led ? espruinoLed(env, board.led.pin, board.led.activeLow) : null,
    clock: clock,
    flash: flash,
    secret: o.secret || null,
    accel: o.accel || null,
    onLink: function (handler: (link: Link) => void): void {
      if (o.server) {
        o.server.start(function (link: EspruinoLink) {
          handler(link);
        });
        return;
      }
      if (!o.events) {
        open(handler);
        return;
      }
      o.events.on("connect", function () {
        open(handler);
      });
      o.events.on("disconnect", function () {
        if (current) current.peerClosed();
      });
    },
    reboot: function (): void {
      if (o.reboot) o.reboot();
    },
  };
}
