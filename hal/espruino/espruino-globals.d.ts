/**
 * Types for the parts of the Espruino 2v29 API the drivers use (espruino.com/Reference). A
 * module, not global declarations: hal/espruino/env.ts is the one file that reads the real
 * globals, so firmware cannot reach them by accident and tests can pass a mock (EspruinoEnv).
 */

/** What `setWatch` passes to its callback. `time`/`lastTime` are in seconds on getTime()'s scale. */
export interface EspruinoWatchEvent {
  state: boolean;
  time: number;
  lastTime?: number;
}

export interface EspruinoWatchOptions {
  repeat?: boolean;
  edge?: "rising" | "falling" | "both";
  /** ms; 0 = report every edge (firmware debounces). */
  debounce?: number;
  irq?: boolean;
}

/** Serial1, Bluetooth, USB, LoopbackA …: `write` takes strings, arrays or typed arrays; 'data' delivers strings. */
export interface EspruinoSerial {
  write(data: string | Uint8Array): void;
  on(event: "data", fn: (data: string) => void): void;
  removeListener(event: "data", fn: (data: string) => void): void;
}

/** An object emitting connection events, e.g. `NRF` ('connect' / 'disconnect'). */
export interface EspruinoConnectionEvents {
  on(event: "connect" | "disconnect", fn: () => void): void;
}

/** `require("Flash")` (addresses are absolute; nRF5x writes must be multiples of 4 bytes). */
export interface EspruinoFlashModule {
  read(length: number, addr: number): Uint8Array;
  write(data: Uint8Array, addr: number): void;
  erasePage(addr: number): void;
  getPage(addr: number): { addr: number; length: number } | undefined;
  /** Flash areas the firmware and Storage do not use (nRF52: between firmware end and Storage). */
  getFree?(): { addr: number; length: number }[];
}

/** What `E.openFile` returns (the FILESYSTEM library: Linux builds, boards with an SD card). */
export interface EspruinoFile {
  /** Up to `length` bytes as a string; undefined at end of file. */
  read(length: number): string | undefined;
  close(): void;
}

/** A `require("net")` socket: 'data' delivers strings, 'close' once when either side ends it. */
export interface EspruinoSocket {
  write(data: string): void;
  on(event: "data", fn: (data: string) => void): void;
  on(event: "close" | "end", fn: () => void): void;
  removeListener(event: "data", fn: (data: string) => void): void;
  end(): void;
}

/** `require("net")`. */
export interface EspruinoNetModule {
  createServer(onConnection: (socket: EspruinoSocket) => void): { listen(port: number): unknown };
}

/** `require("Storage")` (the parts the boot and its area check use). */
export interface EspruinoStorageModule {
  readJSON(name: string, noExceptions: boolean): unknown;
  getStats(): { totalBytes: number; freeBytes: number; fileBytes: number; trashBytes: number };
}

export interface EspruinoE {
  /** int32 from the hardware source (only on nRF5x, STM32F1/F4, RP2xxx; a fixed-seed rand() elsewhere). */
  hwRand(): number;
  /** A string of bytes (as 'data' events deliver) as a Uint8Array. */
  toUint8Array(s: string): Uint8Array;
  /** Bytes as a string of bytes (what socket.write takes). */
  toString(bytes: Uint8Array): string;
  /** Opens a file (FILESYSTEM builds only). */
  openFile?(path: string, mode: string): EspruinoFile;
}

/** Everything the drivers touch. `espruinoGlobals()` returns the real one; tests build a mock. */
export interface EspruinoEnv {
  E: EspruinoE;
  /** Seconds since power-on, or since the epoch once `setTime` was called. */
  getTime(): number;
  setTimeout(fn: () => void, ms: number): number;
  /** Throws "Unknown Timeout" for a fired or unknown id; with no argument clears every timer. */
  clearTimeout(id: number): void;
  /** `pin` is a pin name Espruino parses ("D0", "B12"); returns the watch id. */
  setWatch(fn: (e: EspruinoWatchEvent) => void, pin: string, opts: EspruinoWatchOptions): number;
  /** With no argument clears every watch. */
  clearWatch(id: number): void;
  digitalWrite(pin: string, value: number): void;
}
