/**
 * NodeMCU's modules in JavaScript for the driver tests (hal/nodemcu on Node): virtual time
 * (tmr.now() in µs, 31 bits, wrapping), single and auto alarms, an in-memory SPIFFS of latin1
 * strings, gpio with trig callbacks, a TCP server whose connections have a commissioner end,
 * node.random over a seeded generator, wifi modes. It behaves as the Lua simulator
 * (test-sim/nodemcu/sim/nodemcu.lua) and the firmware's documentation say: one send at a time
 * ("sent" on the next turn), a local close() fires no "disconnection".
 */
import type { Link } from "../../hal/link.ts";
import type { NodeMcuEnv, NodeMcuFileObject, NodeMcuSocket, NodeMcuTimer } from "../../hal/nodemcu/nodemcu-modules.ts";

export interface MockNodeMcu {
  env: NodeMcuEnv;
  files: Map<string, string>;
  /** Moves virtual time by `ms`, running alarms and queued events as they fall due. */
  advance(ms: number): void;
  /** Runs queued events (sends, "sent") and alarms due now, until nothing is pending. */
  settle(): void;
  setPin(pin: number, level: number): void;
  pinLevel(pin: number): number;
  /** Accepts a connection on the listening port; returns the commissioner's end. */
  connect(port: number): Link;
  /** How many files are open right now. */
  openFiles(): number;
  printed: string[];
  /** Make file writes fail from now on. */
  failWrites(): void;
}

export function mockNodeMcu(opts: { startUs?: number; seed?: number } = {}): MockNodeMcu {
  let us = opts.startUs ?? 0;
  let seed = opts.seed ?? 12345;
  const files = new Map<string, string>();
  const printed: string[] = [];
  let open = 0, writesFail = false;
  const queue: (() => void)[] = [];
  type Alarm = { due: number; ms: number; mode: number; cb: (t: NodeMcuTimer) => void; t: NodeMcuTimer };
  const alarms = new Set<Alarm>();
  const tmr = {
    ALARM_SINGLE: 0,
    ALARM_AUTO: 1,
    now: () => us % 2147483648,
    create(): NodeMcuTimer {
      let mine: Alarm | null = null;
      const t: NodeMcuTimer = {
        alarm(ms, mode, cb) {
          if (!(ms >= 1 && ms <= 6870947)) throw new Error("tmr: interval out of range " + ms);
          if (mine) alarms.delete(mine);
          mine = { due: us + ms * 1000, ms, mode, cb, t };
          alarms.add(mine);
          return true;
        },
        unregister() {
          if (mine) alarms.delete(mine);
          mine = null;
        },
      };
      return t;
    },
  };
  const runQueue = () => {
    while (queue.length) queue.shift()!();
  };
  const runDue = (): boolean => {
    const due = [...alarms].filter((a) => a.due <= us).sort((a, b) => a.due - b.due);
    for (const a of due) {
      if (!alarms.has(a)) continue;
      if (a.mode === tmr.ALARM_AUTO) a.due += a.ms * 1000;
      else alarms.delete(a);
      a.cb(a.t);
      runQueue();
    }
    return due.length > 0;
  };
  const settle = () => {
    runQueue();
    while (runDue()) runQueue();
  };
  const advance = (ms: number) => {
    const end = us + ms * 1000;
    for (;;) {
      settle();
      const next = [...alarms].reduce((m, a) => Math.min(m, a.due), Infinity);
      if (next > end) break;
      us = Math.max(us, next);
    }
    us = end;
    settle();
  };

  const file = {
    open(name: string, mode: string): NodeMcuFileObject | undefined {
      if (!files.has(name) && (mode === "r" || mode === "r+")) return undefined;
      if (mode === "w" || mode === "w+") files.set(name, "");
      let pos = 0, closed = false;
      open++;
      return {
        seek(whence, offset) {
          const base = whence === "set" ? 0 : whence === "cur" ? pos : files.get(name)!.length;
          pos = base + offset;
          return pos;
        },
        read(n) {
          const s = files.get(name)!.substring(pos, pos + n);
          pos += s.length;
          return s.length ? s : undefined;
        },
        write(s) {
          if (writesFail || mode === "r") return undefined;
          let cur = files.get(name)!;
          while (cur.length < pos) cur += "\0";
          files.set(name, cur.substring(0, pos) + s + cur.substring(pos + s.length));
          pos += s.length;
          return true;
        },
        flush() {},
        close() {
          if (!closed) open--;
          closed = true;
        },
      };
    },
    exists: (name: string) => files.has(name),
    remove: (name: string) => void files.delete(name),
    rename(from: string, to: string) {
      if (!files.has(from) || files.has(to)) return false;
      files.set(to, files.get(from)!);
      files.delete(from);
      return true;
    },
    list() {
      const out: { [name: string]: number } = {};
      for (const [k, v] of files) out[k] = v.length;
      return out;
    },
  };

  const pins = new Map<number, { level: number; mode: number; trig?: string; cb?: (level: number, when: number) => void }>();
  const pin = (p: number) => {
    if (!pins.has(p)) pins.set(p, { level: 1, mode: 0 });
    return pins.get(p)!;
  };
  const gpio = {
    OUTPUT: 1, INT: 2, PULLUP: 1, FLOAT: 0, HIGH: 1, LOW: 0,
    mode(p: number, mode: number, pull?: number) {
      pin(p).mode = mode;
      if (pull === 1) pin(p).level = 1;
    },
    write(p: number, level: number) { pin(p).level = level; },
    read: (p: number) => pin(p).level,
    trig(p: number, type: string, cb?: (level: number, when: number) => void) {
      if (pin(p).mode !== 2 && type !== "none") throw new Error("gpio.trig: pin not in INT mode");
      pin(p).trig = type;
      pin(p).cb = type === "none" ? undefined : cb;
    },
  };

  const listeners = new Map<number, (conn: NodeMcuSocket) => void>();
  const net = {
    TCP: 1,
    createServer(type: number, timeout: number) {
      if (type !== 1 || !(timeout >= 1 && timeout <= 28800)) throw new Error("net.createServer: bad arguments");
      return {
        listen(port: number, cb: (conn: NodeMcuSocket) => void) { listeners.set(port, cb); },
        close() {},
      };
    },
  };

  const connect = (port: number): Link => {
    const accept = listeners.get(port);
    if (!accept) throw new Error("nothing listens on " + port);
    const cbs: { [e: string]: (...a: unknown[]) => void } = {};
    let up = true, busy = false;
    let comReceive: ((c: Uint8Array) => void) | null = null, comClose: (() => void) | null = null, comClosed = false;
    const comGone = () => {
      if (comClosed) return;
      comClosed = true;
      if (comClose) comClose();
    };
    const sock: NodeMcuSocket = {
      send(s: string) {
        if (busy) throw new Error("net: send before the last one was sent");
        if (!up) return;
        busy = true;
        queue.push(() => {
          busy = false;
          if (!up) return;
          if (comReceive) comReceive(Uint8Array.from(s, (ch) => ch.charCodeAt(0)));
          if (cbs.sent) cbs.sent(sock);
        });
      },
      on(event: string, cb: (...a: never[]) => void) { cbs[event] = cb as (...a: unknown[]) => void; },
      close() {
        if (!up) return;
        up = false;
        queue.push(comGone);
      },
    } as NodeMcuSocket;
    accept(sock);
    return {
      send(bytes) {
        if (!up || comClosed) return "CLOSED";
        const s = String.fromCharCode(...bytes);
        queue.push(() => { if (up && cbs.receive) cbs.receive(sock, s); });
        return null;
      },
      onReceive(h) { comReceive = h; },
      onClose(h) { comClose = h; },
      close() {
        if (comClosed) return;
        queue.push(() => {
          if (!up) return;
          up = false;
          if (cbs.disconnection) cbs.disconnection(sock);
        });
        comGone();
      },
    };
  };

  const wifi = { NULLMODE: 0, mode: 1, getmode(): number { return this.mode; } };
  const node = {
    random(l: number, u: number) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return l + (Math.floor(seed / 65536) % (u - l + 1));
    },
    restart() { printed.push("node.restart()"); },
  };
  const env = { node, file, gpio, tmr, net, wifi, print: (l: string) => void printed.push(l) } as unknown as NodeMcuEnv;
  return {
    env, files, advance, settle, printed, connect,
    setPin(p, level) {
      const s = pin(p);
      if (s.level === level) return;
      s.level = level;
      if (s.cb && (s.trig === "both" || (s.trig === "down" && level === 0) || (s.trig === "up" && level === 1))) s.cb(level, tmr.now());
    },
    pinLevel: (p) => pin(p).level,
    openFiles: () => open,
    failWrites: () => { writesFail = true; },
  };
}
