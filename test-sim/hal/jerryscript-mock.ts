/**
 * A mock `firstlight_native` (docs/jerryscript-binding.md) on a SimClock. Its flash is raw NOR:
 * flashProgram ANDs whatever it is given after bounds checks only, exactly as the contract allows
 * a C side to do, so BITS/ALIGN/page rules must come from the JS driver.
 */
import { SimClock } from "../../hal/sim/clock.ts";
import type { FirstlightNative, NativeError } from "../../hal/jerryscript/native.ts";
import type { HalError } from "../../hal/errors.ts";
import type { Link } from "../../hal/link.ts";

export interface NativeMock {
  native: FirstlightNative;
  clock: SimClock;
  mem: Uint8Array;
  setPin(pin: string, level: 0 | 1): void;
  pinOut(pin: string): number | undefined;
  breakTrng(): void;
  /** A commissioner connects: returns its end of the link. */
  connect(): Link;
  calls: string[];
}

export function createNativeMock(opts: { pageSize?: number; pageCount?: number; writeSize?: number; secret?: Uint8Array | null } = {}): NativeMock {
  const clock = new SimClock();
  const P = opts.pageSize ?? 4096, count = opts.pageCount ?? 4, ws = opts.writeSize ?? 4;
  const mem = new Uint8Array(P * count).fill(0xff);
  const watches = new Map<number, { pin: string; cb: (level: number, timeUs: number) => void }>();
  const outs = new Map<string, number>();
  const levels = new Map<string, number>();
  let nextId = 1, x = 0x9e3779b9, trngOk = true;
  let onRx: ((c: Uint8Array) => void) | null = null, onState: ((up: boolean) => void) | null = null;
  let peer: { rx: ((c: Uint8Array) => void) | null; close: (() => void) | null; up: boolean } | null = null;
  const calls: string[] = [];
  const inside = (a: number, n: number) => a >= 0 && n >= 0 && a + n <= mem.length && a % 1 === 0 && n % 1 === 0;

  const native: FirstlightNative = {
    version: 1,
    trngRead(n) {
      calls.push("trngRead");
      if (!trngOk || !(n >= 1 && n <= 256)) return null;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
        out[i] = x & 255;
      }
      return out;
    },
    flashInfo: () => [P, count, ws],
    flashRead: (addr, len) => (inside(addr, len) ? mem.slice(addr, addr + len) : null),
    flashProgram(addr, bytes): NativeError | null {
      calls.push("flashProgram");
      if (!inside(addr, bytes.length)) return "SIZE";
      for (let i = 0; i < bytes.length; i++) mem[addr + i] &= bytes[i];
      return null;
    },
    flashErase(page): NativeError | null {
      calls.push("flashErase");
      if (!(page >= 0 && page < count) || page % 1) return "SIZE";
      mem.fill(0xff, page * P, (page + 1) * P);
      return null;
    },
    pinWatch(pin, cb) {
      const id = nextId++;
      watches.set(id, { pin, cb });
      return id;
    },
    pinUnwatch: (id) => void watches.delete(id),
    pinWrite: (pin, level) => void outs.set(pin, level),
    nowMs: () => clock.now(),
    setTimer: (ms, cb) => clock.after(ms, cb),
    clearTimer: (id) => clock.cancel(id),
    linkSend(bytes): NativeError | null {
      if (!peer || !peer.up) return "CLOSED";
      const copy = bytes.slice();
      const p = peer;
      clock.after(0, () => p.up && p.rx?.(copy));
      return null;
    },
    linkOnReceive: (cb) => void (onRx = cb),
    linkOnState: (cb) => void (onState = cb),
    linkClose() {
      const p = peer;
      if (!p || !p.up) return;
      clock.after(0, () => endPeer(p));
    },
    deviceSecret: () => (opts.secret ? opts.secret.slice() : null),
    reboot: () => void calls.push("reboot"),
  };

  function endPeer(p: NonNullable<typeof peer>): void {
    if (!p.up) return;
    p.up = false;
    p.close?.();
    if (peer === p) {
      peer = null;
      onState?.(false);
    }
  }

  function connect(): Link {
    const p = { rx: null as ((c: Uint8Array) => void) | null, close: null as (() => void) | null, up: true };
    peer = p;
    onState?.(true);
    return {
      send(bytes): HalError | null {
        if (!p.up) return "CLOSED";
        const copy = bytes.slice();
        clock.after(0, () => p.up && onRx?.(copy));
        return null;
      },
      onReceive: (h) => void (p.rx = h),
      onClose: (h) => void (p.close = h),
      close: () => void clock.after(0, () => endPeer(p)),
    };
  }

  return {
    native,
    clock,
    mem,
    setPin(pin, level) {
      if ((levels.get(pin) ?? 0) === level) return;
      levels.set(pin, level);
      const us = clock.now() * 1000;
      for (const w of watches.values()) if (w.pin === pin) clock.after(0, () => w.cb(level, us));
    },
    pinOut: (pin) => outs.get(pin),
    breakTrng: () => void (trngOk = false),
    connect,
    calls,
  };
}
