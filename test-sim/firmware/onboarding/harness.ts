/**
 * A firmware device (the TS sources, on Node) on the simulated HAL, and the real commissioner
 * (commissioner/pairing.ts, session.ts) talking to it over an in-memory link pair. Virtual time for
 * the device (SimClock); the commissioner's own step timers run in real time.
 */
import type { BoardConfig } from "../../../hal/board-config.ts";
import { SimClock } from "../../../hal/sim/clock.ts";
import { SimTrng, type SimTrngScenario } from "../../../hal/sim/trng.ts";
import { SimFlash } from "../../../hal/sim/flash.ts";
import { createSimHal, type SimHal } from "../../../hal/sim/board.ts";
import { defaultSimSecret } from "../../../hal/sim/device-secret.ts";
import { createLinkPair, type SimLink } from "../../../hal/sim/link.ts";
import { startDevice, type DeviceHandle } from "../../../firmware/onboarding/device.ts";
import type { CredentialStore } from "../../../firmware/onboarding/credentials.ts";
import type { DeviceAudit } from "../../../firmware/onboarding/audit-trail.ts";
import { LinkFrameTransport, type ByteLink, type FrameTransport } from "../../../commissioner/transport.ts";
import { loadBoard } from "../../../build/boards.ts";

export const CODE = "20202021";

export function simBoard(name = "sim"): BoardConfig {
  return loadBoard(name);
}

/** A Map-backed store double for unit tests (the integration tests use the real store on SimFlash). */
export function memoryStore(): CredentialStore & { data: Map<string, Uint8Array>; shreds: number } {
  const data = new Map<string, Uint8Array>();
  const s = {
    data,
    shreds: 0,
    get: (n: string) => (data.has(n) ? new Uint8Array(data.get(n)!) : null),
    put: (n: string, v: Uint8Array) => void data.set(n, new Uint8Array(v)),
    remove: (n: string) => void data.delete(n),
    shred: () => {
      data.clear();
      s.shreds++;
    },
  };
  return s;
}

export interface World {
  /** Runs the device's zero-delay timers (its split-phase steps) without moving virtual time. */
  pump(): void;
  clock: SimClock;
  flash: SimFlash;
  hal: SimHal;
  device: DeviceHandle;
  logs: string[];
  rebooted: boolean;
  /** The board whose configuration and flash geometry the device runs with ("sim" unless told). */
  board: string;
}

export interface BootOptions {
  flash?: SimFlash;
  code?: string;
  windowMs?: number;
  trngSeed?: string;
  /** A TRNG scenario instead of the healthy seeded default (a slow one runs on the clock). */
  trng?: SimTrngScenario;
  store?: CredentialStore;
  /** An audit trail double instead of the board's (DeviceOptions.audit). */
  audit?: DeviceAudit;
  /** A board from boards/ (its flash geometry and entropy settings) instead of "sim". */
  board?: string;
}

let boots = 0;

export function newFlash(board = "sim"): SimFlash {
  const b = simBoard(board);
  return new SimFlash({ pageSize: b.flash.pageSize, pageCount: b.flash.pageCount, writeSize: b.flash.writeSize });
}

/** Boots a device; with `flash` from an earlier World it is that device after a reboot. */
export function boot(o: BootOptions = {}): World {
  const clock = new SimClock();
  const board = simBoard(o.board);
  const flash = o.flash ?? newFlash(o.board);
  // A true random source never repeats across boots; each simulated boot gets its own stream.
  const scenario: SimTrngScenario = o.trng ?? { kind: "healthy", seed: o.trngSeed ?? "onboarding boot " + ++boots };
  const trng = new SimTrng(scenario, scenario.bytesPerSecond ? clock : null);
  const hal = createSimHal({ board, clock, trng, flash, secret: defaultSimSecret() });
  const logs: string[] = [];
  const w = { clock, flash, hal, logs, rebooted: false, board: o.board ?? "sim" } as World;
  hal.onReboot(() => (w.rebooted = true));
  w.device = startDevice(hal, { setupCode: o.code ?? CODE, windowMs: o.windowMs, log: (l) => logs.push(l), store: o.store, audit: o.audit });
  // The device's handshake steps are split over zero-delay timers: a real-time pump runs them as a
  // board's event loop would, while virtual time moves only when a test advances it.
  w.pump = () => clock.advance(0);
  const timer = setInterval(w.pump, 1);
  timer.unref();
  const stop = w.device.stop;
  w.device.stop = () => {
    clearInterval(timer);
    stop();
  };
  return w;
}

/** Reboot: the old device stops (RAM gone), a new one boots from the same flash. */
export function reboot(w: World, o: BootOptions = {}): World {
  w.device.stop();
  w.flash.restorePower();
  return boot({ board: w.board, ...o, flash: w.flash, store: o.store });
}

/** Advances virtual time until the entropy gate is open. */
export function openGate(w: World): void {
  for (let i = 0; i < 1000 && w.device.status().entropy.state !== "ready"; i++) w.clock.advance(10);
  if (w.device.status().entropy.state !== "ready") throw new Error("gate did not open");
}

/** A bouncy short press; returns when it has been debounced and classified. */
export function shortPress(w: World, holdMs = 300): void {
  const until = w.hal.button.press(holdMs, { bounceEdges: 6, bounceMs: 8 });
  w.clock.advance(until - w.clock.now() + 100);
}

/** The gate open and the window open: ready for a pairing attempt. */
export function ready(w: World): World {
  openGate(w);
  shortPress(w);
  if (w.device.state() !== "window-open") throw new Error("window did not open: " + w.device.state());
  return w;
}

export interface Wire {
  /** The commissioner's transport. */
  t: FrameTransport;
  /** The commissioner's end of the link, for raw bytes. */
  raw: SimLink;
  /** Every frame-sized write the commissioner made, in order. */
  sent: Uint8Array[];
  /** Bytes the device sent. */
  received: Uint8Array[];
  /** Rewrites (or drops, with null) what the commissioner writes. */
  filter: ((bytes: Uint8Array, index: number) => Uint8Array | null) | null;
}

/** Connects a commissioner transport to the device over a sim link pair. */
export function connect(w: World, opts: { maxChunk?: number } = {}): Wire {
  const [c, d] = createLinkPair({ maxChunk: opts.maxChunk });
  const wire = { raw: c, sent: [], received: [], filter: null } as unknown as Wire;
  const link: ByteLink = {
    write: (bytes) => {
      const i = wire.sent.length;
      wire.sent.push(bytes.slice());
      const out = wire.filter ? wire.filter(bytes, i) : bytes;
      if (out !== null) {
        const err = c.send(out);
        if (err) return Promise.reject(Object.assign(new Error("link closed"), { code: "LINK_CLOSED" }));
        w.pump();
      }
      return Promise.resolve();
    },
    onData: (cb) => c.onReceive((chunk) => {
      wire.received.push(chunk.slice());
      cb(chunk);
    }),
    onClose: (cb) => c.onClose(() => cb()),
    destroy: () => c.close(),
  };
  wire.t = new LinkFrameTransport(link, "sim:device");
  w.hal.connect(d);
  return wire;
}

export function frame(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = 1;
  out[1] = type;
  out[2] = body.length >> 8;
  out[3] = body.length & 0xff;
  out.set(body, 4);
  return out;
}

export function errorOf(body: Uint8Array): { code: number; detail: string } {
  return { code: body[0], detail: new TextDecoder().decode(body.subarray(1)) };
}

/** The device's store names as the real store sees them (integration tests). */
export function fails(w: World): number {
  return w.device.status().failedAttempts;
}
