/**
 * What a board image runs at boot (from Storage, `.bootcde`): reads the owner's options from the
 * Storage file `firstlight.json` (`{"setupCode":"…","windowMs":…}`, written by `npm run flash`),
 * checks that the store area is clear of Storage (hal/espruino/store-area.ts), assembles the
 * board's drivers from its board file, and starts the onboarding device. A board that cannot
 * start says why on the console and starts nothing.
 *
 * Drivers by board file: `trng.source` "linux-urandom" reads /dev/urandom, any other E.hwRand;
 * `button.pin` / `led.pin` "virtual" are the console-driven ones; `link.transport` "tcp" is a
 * require("net") server on `link.port`, "ble" the Nordic UART with NRF connect events. On the
 * console, `firstlight.board` has `press(ms)`, `led()`, `status()` and `problem` (null or why the
 * device did not start). ES5.
 */
import type { BoardConfig } from "../board-config";
import type { Hal } from "../index";
import { startDevice, setupCodeProblem, type DeviceHandle } from "../../firmware/onboarding/device";
import { createEspruinoHal, type EspruinoHalOptions } from "./board";
import { espruinoClock } from "./clock";
import { espruinoGlobals, espruinoModule } from "./env";
import type { EspruinoFlashModule, EspruinoNetModule, EspruinoSerial, EspruinoConnectionEvents, EspruinoStorageModule } from "./espruino-globals";
import { espruinoFileTrng } from "./file-trng";
import { espruinoFlash } from "./flash";
import { netLinkServer } from "./net-link";
import { storeAreaProblem } from "./store-area";
import { virtualButton, virtualLed, type VirtualButton, type VirtualLed } from "./virtual-button";
import { flashRegion } from "../flash-region";
import { flashRootSecret, readRootPage, writeRootPage } from "./flash-root";
import { createEntropyGate, type EntropyGate } from "../../firmware/entropy/gate";

declare function print(line: string): void;
declare var firstlight: { board?: unknown };
declare var Bluetooth: EspruinoSerial & { setConsole(force?: boolean): void };
declare var NRF: EspruinoConnectionEvents & { disconnect(): void };
declare var LoopbackA: { setConsole(force?: boolean): void };
declare function load(): void;

/** The Storage file holding the owner's options. */
export var OPTIONS_FILE = "firstlight.json";

interface OwnerOptions { setupCode: string; windowMs?: number }

function readOptions(storage: EspruinoStorageModule): OwnerOptions | string {
  var o = storage.readJSON(OPTIONS_FILE, true) as { setupCode?: unknown; windowMs?: unknown } | undefined;
  if (!o || typeof o !== "object") return "no owner options: Storage file " + OPTIONS_FILE + " is missing or not JSON (npm run flash writes it)";
  var bad = setupCodeProblem(o.setupCode);
  if (bad) return OPTIONS_FILE + ": " + bad;
  if (o.windowMs !== undefined && typeof o.windowMs !== "number") return OPTIONS_FILE + ": windowMs must be a number";
  var out: OwnerOptions = { setupCode: o.setupCode as string };
  if (o.windowMs !== undefined) out.windowMs = o.windowMs as number;
  return out;
}

export function bootEspruinoBoard(board: BoardConfig): void {
  var api: { problem: string | null; press(ms: number): boolean; led(): boolean; status(): unknown } = {
    problem: null,
    press: function (): boolean {
      return false;
    },
    led: function (): boolean {
      return false;
    },
    status: function (): unknown {
      return null;
    },
  };
  firstlight.board = api;
  var log = function (line: string): void {
    print("firstlight: " + line);
  };
  function refuse(why: string): void {
    api.problem = why;
    log("not started: " + why);
  }

  var storage = espruinoModule("Storage") as EspruinoStorageModule;
  var flashMod = espruinoModule("Flash") as EspruinoFlashModule;
  var opts = readOptions(storage);
  if (typeof opts === "string") return refuse(opts);
  var area = storeAreaProblem(board, typeof flashMod.getFree === "function" ? flashMod.getFree() : null, storage.getStats());
  if (area) return refuse(area);

  var env = espruinoGlobals();
  var clock = espruinoClock(env);
  var h: EspruinoHalOptions = { env: env, clock: clock };
  if (board.trng.source === "linux-urandom") h.trng = espruinoFileTrng(env, "/dev/urandom");
  var button: VirtualButton | null = null, led: VirtualLed | null = null;
  if (board.button.pin === "virtual") h.button = button = virtualButton(clock);
  if (board.led && board.led.pin === "virtual") h.led = led = virtualLed();
  var link = board.link;
  if (!link) return refuse("board " + board.name + " names no link (board file: link)");
  if (link.transport === "tcp") h.server = netLinkServer(env, espruinoModule("net") as EspruinoNetModule, link.port as number);
  else {
    h.device = Bluetooth;
    h.events = NRF;
    h.disconnect = function (): void {
      NRF.disconnect();
    };
    // While a session runs, the console must not read the Nordic UART.
    h.onSession = function (active: boolean): void {
      if (active) LoopbackA.setConsole(true);
      else Bluetooth.setConsole(true);
    };
  }
  h.reboot = function (): void {
    load();
  };

  // No hardware secret on stock Espruino boards: the root lives in the area's first page
  // (hal/espruino/flash-root.ts), the store and the audit trail in the pages after it.
  var nor = espruinoFlash(flashMod, board.flash), rootPage = flashRegion(nor, 0, 1);
  h.secret = flashRootSecret(rootPage);
  var hal: Hal = createEspruinoHal(board, flashRegion(nor, 1, board.flash.pageCount - 1), h);
  var device: DeviceHandle | null = null;
  function start(): void {
    device = startDevice(hal, { setupCode: (opts as OwnerOptions).setupCode, windowMs: (opts as OwnerOptions).windowMs, log: log });
  }
  var root = readRootPage(rootPage);
  if (typeof root !== "string") {
    for (var i = 0; i < root.length; i++) root[i] = 0;
    start();
  } else {
    if (root === "bad") log("the root page is damaged (a first boot cut short): making a new root");
    log("first boot: gathering entropy for the device root");
    var gate: EntropyGate | null = createEntropyGate({ trng: hal.trng, clock: hal.clock, board: board });
    gate.onReady(function (): void {
      var fresh = (gate as EntropyGate).randomBytes(32);
      (gate as EntropyGate).stop();
      // Let the first-boot gate go: the console's closures keep this scope alive, and a gate
      // (its closures, pool, health tests and DRBG) is about 400 variables on Espruino.
      gate = null;
      var bad = writeRootPage(rootPage, fresh);
      for (var j = 0; j < fresh.length; j++) fresh[j] = 0;
      if (bad) return refuse(bad);
      log("device root generated and kept in the root page");
      start();
    });
    gate.onFailure(function (e): void {
      gate = null;
      refuse("entropy gate failed before the device root was made: " + e.code + ": " + e.message);
    });
    gate.start();
  }
  api.press = function (ms: number): boolean {
    return button !== null && button.press(ms);
  };
  api.led = function (): boolean {
    return led !== null && led.isOn();
  };
  api.status = function (): unknown {
    return device ? device.status() : { state: "first-boot", paired: false, failedAttempts: 0, entropy: { state: "gathering" } };
  };
}
