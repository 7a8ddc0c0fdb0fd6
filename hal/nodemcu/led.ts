/** The status LED over `gpio.write`; polarity from the board file. ES5 / Lua. */
import type { Led } from "../led";
import type { NodeMcuGpio } from "./nodemcu-modules";

export function nodemcuLed(gpio: NodeMcuGpio, pin: number, activeLow: boolean): Led {
  gpio.mode(pin, gpio.OUTPUT);
  function set(on: boolean): void {
    gpio.write(pin, on !== activeLow ? gpio.HIGH : gpio.LOW);
  }
  set(false);
  return { set: set };
}
