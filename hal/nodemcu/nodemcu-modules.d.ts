/**
 * The NodeMCU modules the drivers use, as the firmware documents them (nodemcu.readthedocs.io,
 * modules node, file, gpio, tmr, net, wifi), typed for TypeScript-to-Lua: a module's functions are
 * called with `.` (@noSelf), an object's methods with `:`, and every callback the firmware calls
 * takes no `self` (`this: void`). Only what the drivers call is declared.
 */

/** @noSelf */
export interface NodeMcuNode {
  /** `node.random(l, u)`: a uniform integer in l…u from `os_random()` (rejection sampling). */
  random(l: number, u: number): number;
  restart(): void;
}

/** An open file (`file.open` returns one); SPIFFS underneath. */
export interface NodeMcuFileObject {
  /** `whence` "set" | "cur" | "end"; the new position, or nil on failure. */
  seek(whence: string, offset: number): number | undefined;
  /** Up to `n` bytes as a string; nil at the end of the file. */
  read(n: number): string | undefined;
  /** true, or nil on failure. */
  write(s: string): boolean | undefined;
  flush(): void;
  close(): void;
}

/** @noSelf */
export interface NodeMcuFileModule {
  /** Modes "r", "w", "a", "r+", "w+", "a+"; nil when it cannot be opened. */
  open(name: string, mode: string): NodeMcuFileObject | undefined;
  exists(name: string): boolean;
  remove(name: string): void;
  rename(from: string, to: string): boolean;
  /** name → size in bytes. */
  list(): { [name: string]: number };
}

/** @noSelf */
export interface NodeMcuGpio {
  OUTPUT: number;
  INT: number;
  PULLUP: number;
  FLOAT: number;
  HIGH: number;
  LOW: number;
  mode(pin: number, mode: number, pull?: number): void;
  write(pin: number, level: number): void;
  read(pin: number): number;
  /** `type` "up" | "down" | "both" | "low" | "high" | "none"; the callback gets the level and the edge's `tmr.now()`-scale µs stamp. */
  trig(pin: number, type: string, cb?: (this: void, level: number, when: number) => void): void;
}

/** A timer object (`tmr.create()`). */
export interface NodeMcuTimer {
  /** `mode` tmr.ALARM_SINGLE or tmr.ALARM_AUTO; interval 1 … 6 870 947 ms. */
  alarm(ms: number, mode: number, cb: (this: void, t: NodeMcuTimer) => void): boolean;
  unregister(): void;
}

/** @noSelf */
export interface NodeMcuTmr {
  ALARM_SINGLE: number;
  ALARM_AUTO: number;
  /** The system counter in µs, 31 bits: wraps to 0 after 2^31 µs (about 35.8 minutes). */
  now(): number;
  create(): NodeMcuTimer;
}

/** A TCP connection (`net.socket`). */
export interface NodeMcuSocket {
  /** One send at a time: the next waits for the "sent" event. */
  send(s: string): void;
  on(event: "receive", cb: (this: void, s: NodeMcuSocket, data: string) => void): void;
  on(event: "sent", cb: (this: void, s: NodeMcuSocket) => void): void;
  on(event: "disconnection", cb: (this: void, s: NodeMcuSocket, err?: number) => void): void;
  close(): void;
}

export interface NodeMcuServer {
  listen(port: number, cb: (this: void, conn: NodeMcuSocket) => void): void;
  close(): void;
}

/** @noSelf */
export interface NodeMcuNet {
  TCP: number;
  /** `timeout`: seconds an idle connection is kept (1 … 28800). */
  createServer(type: number, timeout: number): NodeMcuServer;
}

/** @noSelf */
export interface NodeMcuWifi {
  NULLMODE: number;
  getmode(): number;
}

export interface NodeMcuEnv {
  node: NodeMcuNode;
  file: NodeMcuFileModule;
  gpio: NodeMcuGpio;
  tmr: NodeMcuTmr;
  net: NodeMcuNet;
  wifi: NodeMcuWifi;
  print: (this: void, line: string) => void;
}
