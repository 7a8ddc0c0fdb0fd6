/**
 * A mock of the Espruino 2v29 globals the drivers use, on a SimClock, faithful where drivers can
 * go wrong: timer and watch ids are reused (lowest free), clearTimeout/clearWatch throw on an
 * unknown id and clear *everything* when called with undefined, watch events are queued and
 * carry the time of the edge (not of the callback), serial 'data' is a string, and
 * require("Flash") is an in-memory NOR array with nRF5x's 4-byte write rule.
 */
import { SimClock } from "../../hal/sim/clock.ts";
import type {
  EspruinoEnv,
  EspruinoFlashModule,
  EspruinoSerial,
  EspruinoWatchEvent,
  EspruinoWatchOptions,
} from "../../hal/espruino/espruino-globals.d.ts";

interface Watch { pin: string; fn: (e: EspruinoWatchEvent) => void; opts: EspruinoWatchOptions; lastTime: number }

function lowestFree(used: Map<number, unknown>): number {
  let id = 1;
  while (used.has(id)) id++;
  return id;
}

export interface EspruinoMock {
  env: EspruinoEnv;
  clock: SimClock;
  /** Drives a pin's physical level (true = high); watches see the edge stamped now. */
  setPin(pin: string, high: boolean): void;
  /** Last value written by digitalWrite, or undefined. */
  pinOut(pin: string): number | undefined;
  /** Like Espruino's setTime(): getTime() jumps by `deltaSeconds`. */
  jumpTime(deltaSeconds: number): void;
  /** Replaces the hwRand source (e.g. one that returns undefined to simulate a fault). */
  setHwRand(fn: () => number): void;
  timerCount(): number;
  watchCount(): number;
  /** Two serial devices wired to each other (bytes cross in `chunk`-byte 'data' events). */
  serialPair(chunk?: number): [EspruinoSerial, EspruinoSerial];
  /** require("Flash") over `pageCount` pages at absolute address `base`. */
  flashModule(geom: { base: number; pageSize: number; pageCount: number }): EspruinoFlashModule & { mem: Uint8Array };
}

export function createEspruinoMock(seed = 0x12345678): EspruinoMock {
  const clock = new SimClock();
  let timeOffset = 0;
  const timers = new Map<number, number>(); // espruino id → clock handle
  const watches = new Map<number, Watch>();
  const levels = new Map<string, boolean>();
  const outs = new Map<string, number>();
  let x = seed >>> 0 || 1;
  let hwRand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x | 0; // int32, as Espruino returns
  };
  const getTime = () => clock.now() / 1000 + timeOffset;

  const env: EspruinoEnv = {
    E: {
      hwRand: () => hwRand(),
      toUint8Array: (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 255),
    },
    getTime,
    setTimeout(fn, ms) {
      const id = lowestFree(timers);
      timers.set(id, clock.after(ms, () => {
        timers.delete(id);
        fn();
      }));
      return id;
    },
    clearTimeout(id) {
      if (id === undefined) {
        for (const h of timers.values()) clock.cancel(h);
        timers.clear();
        return;
      }
      const h = timers.get(id);
      if (h === undefined) throw new Error("Unknown Timeout");
      clock.cancel(h);
      timers.delete(id);
    },
    setWatch(fn, pin, opts) {
      const id = lowestFree(watches);
      watches.set(id, { pin, fn, opts, lastTime: getTime() });
      return id;
    },
    clearWatch(id) {
      if (id === undefined) return void watches.clear();
      if (!watches.delete(id)) throw new Error("Unknown Watch");
    },
    digitalWrite(pin, value) {
      outs.set(pin, value ? 1 : 0);
    },
  };

  function setPin(pin: string, high: boolean): void {
    if ((levels.get(pin) ?? false) === high) return;
    levels.set(pin, high);
    const time = getTime();
    for (const [id, w] of watches) {
      if (w.pin !== pin) continue;
      const edge = w.opts.edge ?? "rising";
      if (edge === "rising" && !high) continue;
      if (edge === "falling" && high) continue;
      const ev: EspruinoWatchEvent = { state: high, time, lastTime: w.lastTime };
      w.lastTime = time;
      if (!w.opts.repeat) watches.delete(id);
      // Espruino stamps the edge in the interrupt and runs the callback from the idle loop.
      clock.after(0, () => w.fn(ev));
    }
  }

  function serialPair(chunk = 20): [EspruinoSerial, EspruinoSerial] {
    const listeners: ((s: string) => void)[][] = [[], []];
    const make = (self: number): EspruinoSerial => ({
      write(data) {
        const s = typeof data === "string" ? data : String.fromCharCode(...data);
        for (let i = 0; i < s.length; i += chunk) {
          const part = s.slice(i, i + chunk);
          clock.after(0, () => listeners[1 - self].slice().forEach((f) => f(part)));
        }
      },
      on(_ev, fn) {
        listeners[self].push(fn);
      },
      removeListener(_ev, fn) {
        const i = listeners[self].indexOf(fn);
        if (i >= 0) listeners[self].splice(i, 1);
      },
    });
    return [make(0), make(1)];
  }

  function flashModule(g: { base: number; pageSize: number; pageCount: number }) {
    const mem = new Uint8Array(g.pageSize * g.pageCount).fill(0xff);
    const off = (addr: number, n: number) => {
      const o = addr - g.base;
      if (o < 0 || o + n > mem.length) throw new Error("Flash: address outside the mock area");
      return o;
    };
    return {
      mem,
      read: (length: number, addr: number) => mem.slice(off(addr, length), off(addr, length) + length),
      write(data: Uint8Array, addr: number) {
        if (addr % 4 || data.length % 4) throw new Error("Flash: nRF5x writes need 4-byte alignment");
        const o = off(addr, data.length);
        for (let i = 0; i < data.length; i++) mem[o + i] &= data[i];
      },
      erasePage(addr: number) {
        const o = off(addr, 1) - ((addr - g.base) % g.pageSize);
        mem.fill(0xff, o, o + g.pageSize);
      },
      getPage(addr: number) {
        const o = addr - g.base;
        if (o < 0 || o >= mem.length) return undefined;
        return { addr: addr - (o % g.pageSize), length: g.pageSize };
      },
    };
  }

  return {
    env,
    clock,
    setPin,
    pinOut: (pin) => outs.get(pin),
    jumpTime: (d) => (timeOffset += d),
    setHwRand: (fn) => (hwRand = fn),
    timerCount: () => timers.size,
    watchCount: () => watches.size,
    serialPair,
    flashModule,
  };
}
