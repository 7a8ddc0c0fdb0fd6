/**
 * Assembles a Hal on a JerryScript board from its board file and the native binding. Refuses to
 * start when the binding's flash geometry disagrees with the board file (a wrong geometry would
 * erase someone else's pages). ES5.
 */
import type { BoardConfig } from "../board-config";
import type { Hal } from "../index";
import type { Link } from "../link";
import { jerryAccel } from "./accel";
import { jerryButton } from "./button";
import { jerryClock } from "./clock";
import { jerryDeviceSecret } from "./device-secret";
import { jerryFlash } from "./flash";
import { jerryLed } from "./led";
import { jerryLinks } from "./link";
import { nativeBinding, type FirstlightNative } from "./native";
import { jerryTrng } from "./trng";

export var BINDING_VERSION = 1;

export function createJerryHal(board: BoardConfig, binding?: FirstlightNative): Hal {
  var nat = binding || nativeBinding();
  if (!nat) throw new Error("firstlight_native is not registered");
  if (nat.version !== BINDING_VERSION) throw new Error("firstlight_native version " + nat.version + ", want " + BINDING_VERSION);
  var flash = jerryFlash(nat), f = board.flash;
  if (flash.pageSize !== f.pageSize || flash.pageCount !== f.pageCount || flash.writeSize !== f.writeSize) {
    throw new Error("firstlight_native flash " + flash.pageSize + "x" + flash.pageCount + "/" + flash.writeSize +
      " does not match board " + board.name + " " + f.pageSize + "x" + f.pageCount + "/" + f.writeSize);
  }
  var listening = false;
  return {
    board: board,
    trng: jerryTrng(nat),
    button: jerryButton(nat, board.button.pin, board.button.activeLow),
    led: board.led ? jerryLed(nat, board.led.pin, board.led.activeLow) : null,
    clock: jerryClock(nat),
    flash: flash,
    secret: jerryDeviceSecret(nat),
    accel: jerryAccel(nat, board),
    onLink: function (handler: (link: Link) => void): void {
      if (listening) throw new Error("onLink: already listening");
      listening = true;
      jerryLinks(nat as FirstlightNative, handler);
    },
    reboot: function (): void {
      (nat as FirstlightNative).reboot();
    },
  };
}
