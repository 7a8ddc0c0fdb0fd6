/**
 * The host side of a simulated device: an engine running the built images (the device image,
 * when built, then the sim image), a flash file on disk written through page by page, and a
 * loopback TCP server whose connections become the device's links.
 *
 * Time: the device's clock is virtual. `advance(ms)` moves it by hand (tests, the main job's
 * gate and button phases); `realtime(true)` makes it follow the wall clock, ticking every few ms
 * while a commissioner talks to it. Socket bytes wait in a queue and go in with the next tick
 * (one engine round trip carries the new links, the bytes, the hang-ups and the time step).
 *
 * Reboot: the engine is thrown away and a fresh one boots from the flash file, as a board does
 * after a reset (RAM gone, flash kept). A device that calls `hal.reboot()` gets the same.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Server } from "node:net";
import type { BoardConfig } from "../../hal/board-config.ts";
import type { Link } from "../../hal/link.ts";
import type { SimTrngScenario } from "../../hal/sim/trng.ts";
import { listenTcpLinks } from "../../hal/sim/tcp-link.node.ts";
import { listenWsLinks, type WsLinkServer } from "../../hal/sim/ws-link.node.ts";
import { DIST } from "../../build/paths.ts";
import { openEngine, type EngineName, type EngineOptions, type SimEngine } from "./engines.ts";

export const SIM_IMAGE = join(DIST, "firstlight-sim.js");
export const DEVICE_IMAGE = join(DIST, "firstlight-device.js");

export interface GateProgress {
  state: string;
  credited: number;
  needed: number;
  raw: number;
  observed: number;
  error?: string;
}

export interface DeviceStatusLike {
  state: string;
  paired?: boolean;
  failedAttempts?: number;
  windowRemainingMs?: number;
  entropy?: { state: string; credited: number; needed: number };
  session?: { received: number; sent: number; rekeysSent: number; rekeysReceived: number };
}

/** One answer of firstlight.sim.step (firmware/images/sim.ts). */
export interface StepAnswer {
  t: number;
  out: [number, string][];
  closed: number[];
  log: [number, string][];
  led: [number, boolean][];
  ledOn: boolean;
  flash: [number, string][];
  gate: GateProgress;
  mode: string;
  device: string;
  reboot: boolean;
  faults: string[];
  nextDue: number;
  pending: number;
  /** The device's status() (firmware/onboarding/device.ts), null without a device. */
  status: DeviceStatusLike | null;
  /** Asked for with `identity: true`: the device's identity public key, hex, or null. */
  identity?: string | null;
  settledAt?: number;
  random?: string;
  randomError?: string;
}

export interface StepExtra {
  advance?: number;
  press?: number;
  random?: number;
  identity?: boolean;
}

export interface SimDeviceOptions {
  engine: EngineName;
  board: BoardConfig;
  /** The flash file (raw image, pageSize × pageCount bytes); created erased when missing. */
  flashPath: string;
  /** Start from an erased flash even if the file exists. */
  eraseFlash?: boolean;
  setupCode?: string;
  /** A provisioned device (tools/provision/factory-file.ts): its code sealed under `secretHex`, instead of setupCode. */
  sealedSetupHex?: string;
  /** The device secret as 64 hex digits (a provisioned device's); absent: the sim board's fixed one. */
  secretHex?: string;
  windowMs?: number;
  /** "auto" (default): the device when dist/firstlight-device.js exists, else the entropy gate alone. */
  mode?: "auto" | "device" | "gate" | "echo";
  /** The TRNG scenario; its seed gets the boot number appended, so every boot draws new noise. */
  trng?: SimTrngScenario;
  /** Script files to load; default [device image if built, sim image]. */
  images?: string[];
  engineOptions?: EngineOptions;
  onLog?: (t: number, line: string) => void;
  onLed?: (t: number, on: boolean) => void;
  onFault?: (fault: string) => void;
  /** After each round trip (the main job draws from it). */
  onStep?: (a: StepAnswer) => void;
  /** The device asked for a reboot (hal.reboot()); the host has already rebooted it. */
  onReboot?: (boot: number) => void;
  /** Ms between realtime ticks (default 5). */
  tickMs?: number;
}

export function defaultImages(mode: SimDeviceOptions["mode"] = "auto"): string[] {
  if (!existsSync(SIM_IMAGE)) throw new Error(`${SIM_IMAGE} is missing: run npm run build`);
  if (mode === "gate" || mode === "echo") return [SIM_IMAGE];
  if (existsSync(DEVICE_IMAGE)) return [DEVICE_IMAGE, SIM_IMAGE];
  if (mode === "device") throw new Error(`${DEVICE_IMAGE} is missing: the device image is not built yet`);
  return [SIM_IMAGE];
}

export class SimDevice {
  engine!: SimEngine;
  /** Boots so far (1 after `start`). */
  boots = 0;
  last: StepAnswer | null = null;
  readonly faults: string[] = [];
  readonly logs: [number, string][] = [];
  /** Bytes the device sent / received over all links. */
  bytesOut = 0;
  bytesIn = 0;
  /** Milliseconds spent inside engine calls (the device's compute plus the bridge). */
  engineMs = 0;

  private pending: { open: number[]; feed: [number, string][]; hangup: number[] } = { open: [], feed: [], hangup: [] };
  private links = new Map<number, Link>();
  private nextLinkId = 1;
  private chain: Promise<unknown> = Promise.resolve();
  private server: Server | null = null;
  private wsServer: WsLinkServer | null = null;
  private rt: NodeJS.Timeout | null = null;
  private rtLast = 0;
  private kicked = false;
  private closing = false;
  private bootError: Error | null = null;

  private constructor(readonly o: SimDeviceOptions) {}

  /** Creates the flash file if needed and boots the device (boot 1). */
  static async start(o: SimDeviceOptions): Promise<SimDevice> {
    const d = new SimDevice(o);
    const { pageSize, pageCount } = o.board.flash;
    mkdirSync(dirname(o.flashPath), { recursive: true });
    if (o.eraseFlash || !existsSync(o.flashPath)) writeFileSync(o.flashPath, Buffer.alloc(pageSize * pageCount, 0xff));
    await d.boot();
    return d;
  }

  get port(): number {
    const a = this.server?.address();
    return typeof a === "object" && a ? a.port : 0;
  }

  get url(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  private async boot(): Promise<void> {
    const o = this.o;
    const size = o.board.flash.pageSize * o.board.flash.pageCount;
    const img = readFileSync(o.flashPath);
    if (img.length !== size)
      throw new Error(`${o.flashPath}: ${img.length} bytes, but the ${o.board.name} board's flash is ${size} (${o.board.flash.pageCount} × ${o.board.flash.pageSize} B): not this board's flash file; delete it (a new device starts erased) or give another with --flash FILE`);
    this.engine = await openEngine(o.engine, o.images ?? defaultImages(o.mode), o.engineOptions);
    this.boots++;
    const trng: SimTrngScenario = { ...(o.trng ?? { kind: "healthy", seed: "firstlight-sim" }) };
    trng.seed = String(trng.seed ?? "firstlight-sim") + "/boot" + this.boots;
    const cfg = { board: o.board, trng, flashHex: img.toString("hex"), mode: o.mode ?? "auto", setupCode: o.setupCode, sealedSetupHex: o.sealedSetupHex, secretHex: o.secretHex, windowMs: o.windowMs };
    const t0 = performance.now();
    const info = JSON.parse(await this.engine.call("boot", JSON.stringify(cfg))) as { faults: string[] };
    this.engineMs += performance.now() - t0;
    for (const f of info.faults) this.fault(f);
  }

  /** Listens on 127.0.0.1 (port 0: any free port); every connection becomes a new link of the device. */
  async listen(port = 0): Promise<number> {
    if (this.server) return this.port;
    const { server } = await listenTcpLinks(port, "127.0.0.1", (link) => this.accept(link));
    this.server = server;
    return this.port;
  }

  /** The WebSocket bridge (hal/sim/ws-link.node.ts) on 127.0.0.1: each WebSocket is a new link, as a TCP connection is. */
  async listenWs(port = 0): Promise<number> {
    if (!this.wsServer) this.wsServer = await listenWsLinks(port, "127.0.0.1", (link) => this.accept(link));
    return this.wsServer.port;
  }

  /** ws://127.0.0.1:PORT once listenWs ran, else ''. */
  get wsUrl(): string {
    return this.wsServer ? `ws://127.0.0.1:${this.wsServer.port}` : "";
  }

  private accept(link: Link): void {
    if (this.closing) return link.close();
    const id = this.nextLinkId++;
    this.links.set(id, link);
    this.pending.open.push(id);
    link.onReceive((chunk) => {
      if (!this.links.has(id)) return; // dropped by a reboot: the bytes went nowhere
      this.bytesIn += chunk.length;
      this.pending.feed.push([id, Buffer.from(chunk).toString("hex")]);
      this.kick();
    });
    link.onClose(() => {
      if (!this.links.delete(id)) return;
      this.pending.hangup.push(id);
      this.kick();
    });
    this.kick();
  }

  /** In realtime mode, socket input is handled at once instead of waiting for the next tick. */
  private kick(): void {
    if (!this.rt || this.kicked) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      if (this.rt) void this.tick().catch(() => {});
    });
  }

  /** Virtual time follows the wall clock (on) or moves only by `advance` (off). */
  realtime(on: boolean): void {
    if (on && !this.rt) {
      this.rtLast = performance.now();
      this.rt = setInterval(() => void this.tick().catch(() => {}), this.o.tickMs ?? 5);
    } else if (!on && this.rt) {
      clearInterval(this.rt);
      this.rt = null;
    }
  }

  private tick(): Promise<StepAnswer> {
    return this.serial(() => {
      const now = performance.now();
      const ms = Math.min(Math.max(0, now - this.rtLast), 1000);
      this.rtLast = now;
      return this.roundTrip({ advance: ms });
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => {});
    return p;
  }

  /** One round trip with whatever the sockets queued, plus `extra`. */
  step(extra: StepExtra = {}): Promise<StepAnswer> {
    return this.serial(() => this.roundTrip(extra));
  }

  /** Moves virtual time by `ms` in slices of at most `sliceMs`, a round trip each (so `onStep` sees the way). */
  async advance(ms: number, sliceMs = ms): Promise<StepAnswer> {
    let left = ms, a = await this.step({ advance: Math.min(left, sliceMs) });
    left -= Math.min(left, sliceMs);
    while (left > 0) {
      const s = Math.min(left, sliceMs);
      a = await this.step({ advance: s });
      left -= s;
    }
    return a;
  }

  /** Advances in slices until `pred` holds or `limitMs` of virtual time have passed; returns the answer that satisfied it, or null. */
  async advanceUntil(pred: (a: StepAnswer) => boolean, limitMs: number, sliceMs = 50): Promise<StepAnswer | null> {
    let spent = 0, a = await this.step();
    while (!pred(a)) {
      if (spent >= limitMs) return null;
      a = await this.step({ advance: sliceMs });
      spent += sliceMs;
    }
    return a;
  }

  /** Presses the button for `holdMs` (with bounce) and returns the virtual time it is settled released. */
  async press(holdMs: number): Promise<number> {
    const a = await this.step({ press: holdMs });
    return a.settledAt ?? a.t + holdMs;
  }

  private async roundTrip(extra: StepExtra): Promise<StepAnswer> {
    if (this.bootError) throw this.bootError;
    const req = { ...this.pending, ...extra };
    this.pending = { open: [], feed: [], hangup: [] };
    const t0 = performance.now();
    const a = JSON.parse(await this.engine.call("step", JSON.stringify(req))) as StepAnswer;
    this.engineMs += performance.now() - t0;
    this.apply(a);
    if (a.reboot) {
      await this.rebootNow();
      this.o.onReboot?.(this.boots);
    }
    return a;
  }

  private apply(a: StepAnswer): void {
    this.last = a;
    this.writeFlash(a.flash);
    for (const [t, line] of a.log) {
      this.logs.push([t, line]);
      this.o.onLog?.(t, line);
    }
    for (const [t, on] of a.led) this.o.onLed?.(t, on);
    for (const f of a.faults) this.fault(f);
    for (const [id, hex] of a.out) {
      const l = this.links.get(id);
      if (!l) continue;
      const bytes = Buffer.from(hex, "hex");
      this.bytesOut += bytes.length;
      l.send(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    }
    for (const id of a.closed) {
      const l = this.links.get(id);
      this.links.delete(id);
      l?.close();
    }
    this.o.onStep?.(a);
  }

  private fault(f: string): void {
    this.faults.push(f);
    this.o.onFault?.(f);
  }

  /** Write-through of the pages the device touched (pwrite + fsync, like hal/sim/flash-file.node.ts). */
  private writeFlash(pages: [number, string][]): void {
    if (!pages.length) return;
    const fd = openSync(this.o.flashPath, "r+");
    try {
      const P = this.o.board.flash.pageSize;
      for (const [page, hex] of pages) {
        const b = Buffer.from(hex, "hex");
        writeSync(fd, b, 0, b.length, page * P);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Power off at once: every link drops now (the TCP connections close; bytes still on their way
   * are lost, as on a board that resets), then a fresh engine boots from the flash file.
   */
  reboot(): Promise<void> {
    this.dropLinks();
    return this.serial(() => this.rebootNow());
  }

  private dropLinks(): void {
    for (const [id, l] of this.links) {
      this.links.delete(id);
      l.close();
    }
    this.pending = { open: [], feed: [], hangup: [] };
  }

  private async rebootNow(): Promise<void> {
    this.dropLinks();
    await this.engine.call("stop").catch(() => "");
    await this.engine.close();
    try {
      await this.boot();
    } catch (e) {
      this.bootError = e as Error;
      throw e;
    }
  }

  /** The whole flash as the engine holds it (equals the file after every round trip). */
  async flashImage(): Promise<Buffer> {
    return Buffer.from(await this.serial(() => this.engine.call("flashHex")), "hex");
  }

  async close(): Promise<void> {
    this.closing = true;
    this.realtime(false);
    await this.chain;
    for (const l of this.links.values()) l.close();
    this.links.clear();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = null;
    await this.wsServer?.close();
    this.wsServer = null;
    await this.engine.call("stop").catch(() => "");
    await this.engine.close();
  }
}
