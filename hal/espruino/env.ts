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
/** Espruino's `require`, saved by the board image's first line (build/board-images.ts), where the bundler cannot see it. */
declare var espruinoRequire: (name: string) => unknown;

/** A built-in module of the engine ("Flash", "Storage", "net"). */
export function espruinoModule(name: string): unknown {
  return espruinoRequire(name);
}

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
