/**
 * The only file that reads Espruino's globals. The drivers take an EspruinoEnv, so they run
 * unchanged over test-sim/hal/espruino-mock.ts. ES5.
 */
import type { EspruinoE, EspruinoEnv, EspruinoWatchEvent, EspruinoWatchOptions } from "./espruino-globals";

declare var E: EspruinoE;
declare function getTime(): number;
declare function setTimeout(fn: () => void, ms: number): number;
declare function clearTimeout(id: number): void;
declare function setWatch(fn: (e: EspruinoWatchEvent) => void, pin: string, opts: EspruinoWatchOptions): number;
declare function clearWatch(id: number): void;
declare function digitalWrite(pin: string, value: number): void;

export function espruinoGlobals(): EspruinoEnv {
  return {
    E: E,
    getTime: getTime,
    setTimeout: setTimeout,
    clearTimeout: clearTimeout,
    setWatch: setWatch,
    clearWatch: clearWatch,
    digitalWrite: digitalWrite,
  };
}
