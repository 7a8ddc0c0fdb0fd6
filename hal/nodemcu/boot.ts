/**
 * What `init.lua` runs on a NodeMCU board: `firstlight.nodemcu.boot({ setupCode = "…",
 * windowMs = …, port = … })` after loading the image (docs/boards.md, "nodemcu-esp8266"). It makes
 * or opens the area file, reads the device root from the area's first page (first boot: waits for
 * the entropy gate and makes one), assembles the drivers and starts the device on the other
 * pages. A board that cannot start prints why and starts nothing. The returned board API has
 * `status()` and `problem` (null or why the device did not start). ES5 / Lua.
 */
import type { BoardConfig } from "../board-config";
import type { Hal } from "../index";
import { startDevice, setupCodeProblem, type DeviceHandle, type DeviceStatus } from "../../firmware/onboarding/device";
import { createEntropyGate, type EntropyGate } from "../../firmware/entropy/gate";
import { flashRegion } from "../flash-region";
import { flashRootSecret, readRootPage, writeRootPage } from "../espruino/flash-root";
import { createNodeMcuHal } from "./board";
import { nodemcuClock } from "./clock";
import { nodemcuGlobals } from "./env";
import { nodemcuFileFlash } from "./flash";
import type { NodeMcuEnv } from "./nodemcu-modules";

/** The SPIFFS file holding the NOR area (docs/nodemcu-flash.md). */
export var AREA_FILE = "firstlight.nor";
/** The commissioner's TCP port when init.lua names none. */
export var DEFAULT_PORT = 5555;

export interface NodeMcuBootOptions {
  setupCode: string;
  windowMs?: number;
  port?: number;
}

export interface NodeMcuBoardApi {
  problem: string | null;
  status(): DeviceStatus | null;
  stop(): void;
}

function wipe(b: Uint8Array): void {
  for (var i = 0; i < b.length; i++) b[i] = 0;
}

function optionsProblem(o: NodeMcuBootOptions): string | null {
  if (typeof o !== "object" || o === null) return "boot needs { setupCode = \"DDDDDDDD\" }";
  var bad = setupCodeProblem(o.setupCode);
  if (bad !== null) return bad;
  if (o.windowMs !== undefined && typeof o.windowMs !== "number") return "windowMs must be a number";
  if (o.port !== undefined && !(typeof o.port === "number" && o.port >= 1 && o.port <= 65535 && o.port % 1 === 0)) return "port must be 1…65535";
  return null;
}

export function bootNodeMcuBoard(board: BoardConfig, o: NodeMcuBootOptions, envIn?: NodeMcuEnv): NodeMcuBoardApi {
  var env = envIn !== undefined ? envIn : nodemcuGlobals();
  var device: DeviceHandle | null = null, gate: EntropyGate | null = null;
  var api: NodeMcuBoardApi = {
    problem: null,
    status: function (): DeviceStatus | null {
      return device !== null ? device.status() : null;
    },
    stop: function (): void {
      if (gate !== null) gate.stop();
      if (device !== null) device.stop();
    },
  };
  function log(line: string): void {
    env.print("firstlight: " + line);
  }
  function refuse(why: string): NodeMcuBoardApi {
    api.problem = why;
    log("not started: " + why);
    return api;
  }
  var bad = optionsProblem(o);
  if (bad !== null) return refuse(bad);
  var clock = nodemcuClock(env.tmr);
  var nor;
  try {
    nor = nodemcuFileFlash(env.file, AREA_FILE, board.flash);
  } catch (e) {
    return refuse(typeof e === "object" && e !== null ? String((e as Error).message) : String(e));
  }
  // No hardware secret reachable from Lua: the root lives in the area's first page.
  var rootPage = flashRegion(nor, 0, 1);
  var hal: Hal;
  try {
    hal = createNodeMcuHal(board, env, clock, flashRegion(nor, 1, board.flash.pageCount - 1), flashRootSecret(rootPage), o.port !== undefined ? o.port : DEFAULT_PORT);
  } catch (e) {
    return refuse(typeof e === "object" && e !== null ? String((e as Error).message) : String(e));
  }
  function start(): void {
    var opts: { setupCode: string; log: (line: string) => void; windowMs?: number } = { setupCode: o.setupCode, log: log };
    if (o.windowMs !== undefined) opts.windowMs = o.windowMs;
    device = startDevice(hal, opts);
  }
  var root = readRootPage(rootPage);
  if (typeof root !== "string") {
    wipe(root);
    start();
    return api;
  }
  if (root === "bad") log("the root page is damaged (a first boot cut short): making a new root");
  log("first boot: gathering entropy for the device root");
  gate = createEntropyGate({ trng: hal.trng, clock: clock, board: board });
  gate.onReady(function (): void {
    var g = gate as EntropyGate;
    var fresh = g.randomBytes(32);
    g.stop();
    gate = null;
    var failed = writeRootPage(rootPage, fresh);
    wipe(fresh);
    if (failed !== null) {
      refuse(failed);
      return;
    }
    log("device root generated and kept in the root page");
    start();
  });
  gate.onFailure(function (e): void {
    gate = null;
    refuse("entropy gate failed before the device root was made: " + e.code + ": " + e.message);
  });
  gate.start();
  return api;
}
