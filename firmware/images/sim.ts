/**
 * The simulator image: builds the sim HAL (hal/sim) inside the engine and exposes a bridge the host
 * drives with strings only (bytes as hex, requests and answers as ASCII JSON), so the same calls
 * cross Node's vm, QuickJS and a `duk -i` pipe at the same cost. Global: `firstlight.sim`.
 *
 * Loaded after dist/firstlight-device.js in the same engine, it finds `firstlight.device` and
 * boots that built device on the sim HAL ("device" mode). Without a device it runs the entropy
 * gate alone on the same HAL ("gate" mode), which is what the main job shows filling.
 *
 * Everything is deterministic: virtual time (SimClock) moves only when the host says so, the
 * TRNG is a seeded scenario, links carry exactly the bytes the host feeds.
 */
import type { BoardConfig } from "../../hal/board-config";
import type { Clock } from "../../hal/clock";
import type { Done, HalError } from "../../hal/errors";
import type { Link } from "../../hal/link";
import type { Trng } from "../../hal/trng";
import { SimClock } from "../../hal/sim/clock";
import type { SimTrngScenario } from "../../hal/sim/trng";
import { simBoardTrng, simBoardJitter, type SimBoardTrng } from "../../hal/sim/board-trng";
import { SimFlash } from "../../hal/sim/flash";
import { createSimHal, type SimHal } from "../../hal/sim/board";
import { defaultSimSecret } from "../../hal/sim/device-secret";
import { createEntropyGate, MIN_GATE_BITS, type EntropyGate } from "../entropy/gate";
import { EntropyPool, POOL_BLOCK_BITS } from "../entropy/pool";
import { fromHex, toHex, view } from "../crypto/bytes";
import { openSetupSeal } from "../onboarding/setup-seal";

declare var firstlight: any; // the build's banner declares it: `var firstlight;`

export interface SimBootConfig {
  board: BoardConfig;
  /** The TRNG scenario; its rate defaults to the board's `trng.bytesPerSecond`. */
  trng?: SimTrngScenario;
  /** The flash contents to boot from (pageSize × pageCount bytes as hex); absent: erased. */
  flashHex?: string;
  /**
   * "device" needs firstlight.device; "gate" runs the entropy gate alone; "auto" (default) picks.
   * "echo" is the bridge's own test fixture (see `startEcho`).
   */
  mode?: "device" | "gate" | "echo" | "auto";
  setupCode?: string;
  /** Instead of setupCode: the factory's sealed code (firmware/onboarding/setup-seal.ts), opened with the secret below. */
  sealedSetupHex?: string;
  windowMs?: number;
  /** 64 hex digits, or null for a board without a hardware secret; absent: the sim default. */
  secretHex?: string | null;
  startMs?: number;
}

/** One host round trip: applied in this order, then everything new is collected. */
export interface SimStepRequest {
  /** New links (the host picks the ids): the "commissioner connected" events. */
  open?: number[];
  feed?: [number, string][];
  /** The host's side of these links closed. */
  hangup?: number[];
  /** Schedules one button press of this many ms (with contact bounce), starting now. */
  press?: number;
  /** Moves virtual time forward by this many ms, firing the timers on the way. */
  advance?: number;
  /** Gate mode: this many bytes from the open gate, as hex in the answer. */
  random?: number;
  /** Device mode: the device's identity public key (hex, or null before it has one) in the answer. */
  identity?: boolean;
}

interface BridgeLink {
  link: Link;
  receiver: ((chunk: Uint8Array) => void) | null;
  closeHandler: (() => void) | null;
  held: Uint8Array[];
  closed: boolean;
}

/** What firstlight.device.start returns (firmware/onboarding/device.ts); status and identity are optional. */
interface DeviceHandle {
  state(): string;
  stop(): void;
  status?(): { entropy?: { state: string; credited: number; needed: number } };
  identityPublicKey?(): Uint8Array | null;
}

var world: World | null = null;

/** Non-ASCII characters as \u escapes: the answer survives any engine's stdout encoding. */
function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, function (c: string) {
    return "\\u" + ("0000" + c.charCodeAt(0).toString(16)).slice(-4);
  });
}

function errText(e: unknown): string {
  var x = e as { code?: string; message?: string; stack?: string };
  if (x && typeof x === "object") {
    var m = x.message || String(e);
    return x.code && m.indexOf(x.code) !== 0 ? x.code + ": " + m : m;
  }
  return String(e);
}

/**
 * Watches the TRNG's bytes with a pool of its own, credited exactly as the gate credits its pool
 * (same source rate, same health tests, same blocks), so the host can draw the gate filling without
 * reaching into the device. Simulator only: a real board never copies its TRNG output anywhere.
 */
class ProgressObserver {
  needed: number;
  pool: EntropyPool;
  id: number;
  full = false;

  constructor(board: BoardConfig) {
    var gb = board.entropy && typeof board.entropy.gateBits === "number" ? board.entropy.gateBits : 0;
    this.needed = gb > MIN_GATE_BITS ? Math.ceil(gb) : MIN_GATE_BITS;
    this.pool = new EntropyPool(Math.ceil(this.needed / POOL_BLOCK_BITS));
    this.id = this.pool.addSource(board.trng.source || "trng", board.trng.bitsPerByte);
  }

  see(bytes: Uint8Array): void {
    if (this.full) return;
    if (this.pool.mix(this.id, bytes) !== null || this.pool.credited() >= this.needed) this.full = true;
  }
}

class World {
  clock: SimClock;
  hal: SimHal;
  trng: SimBoardTrng;
  flash: SimFlash;
  mode: string;
  gate: EntropyGate | null = null;
  device: DeviceHandle | null = null;
  links: { [id: number]: BridgeLink } = {};
  out: [number, string][] = [];
  closed: number[] = [];
  logs: [number, string][] = [];
  led: [number, boolean][] = [];
  faults: string[] = [];
  dirty: { [page: number]: boolean } = {};
  rebootAsked = false;
  observer: ProgressObserver;

  constructor(cfg: SimBootConfig) {
    var self = this, board = cfg.board;
    if (!board || !board.flash || !board.trng) throw new Error("sim.boot: the config needs a board with flash and trng");
    var sc = new SimClock(cfg.startMs || 0);
    this.clock = sc;
    // Every callback the firmware schedules runs guarded: an exception is a recorded fault (the
    // engine's console on a board), and virtual time keeps moving.
    var guarded: Clock = {
      now: function () { return sc.now(); },
      after: function (ms: number, fn: () => void) {
        return sc.after(ms, function () { self.guard(fn); });
      },
      cancel: function (h: number) { sc.cancel(h); },
    };
    var scenario: SimTrngScenario = cfg.trng || { kind: "healthy", seed: "sim" };
    if (scenario.bytesPerSecond === undefined && board.trng.bytesPerSecond > 0) {
      var copy: any = {};
      for (var k in scenario) if (Object.prototype.hasOwnProperty.call(scenario, k)) copy[k] = (scenario as any)[k];
      copy.bytesPerSecond = board.trng.bytesPerSecond;
      scenario = copy;
    }
    this.trng = simBoardTrng(board, scenario, guarded);
    this.observer = new ProgressObserver(board);
    var obs = this.observer, raw = this.trng.trng;
    var observed: Trng = {
      read: function (n: number, done: Done<Uint8Array>) {
        raw.read(n, function (err: HalError | null, bytes?: Uint8Array) {
          if (err === null && bytes) obs.see(bytes);
          done(err, bytes);
        });
      },
    };

    var f = board.flash;
    var flash = new SimFlash({ pageSize: f.pageSize, pageCount: f.pageCount, writeSize: f.writeSize });
    if (cfg.flashHex) flash.load(fromHex(cfg.flashHex));
    this.flash = flash;
    var program = flash.program, erase = flash.erase, P = f.pageSize;
    flash.program = function (addr: number, bytes: Uint8Array) {
      try {
        return program.call(flash, addr, bytes);
      } finally {
        for (var p = Math.floor(addr / P); p <= Math.floor((addr + (bytes.length || 1) - 1) / P); p++) self.dirty[p] = true;
      }
    };
    flash.erase = function (page: number) {
      try {
        return erase.call(flash, page);
      } finally {
        self.dirty[page] = true;
      }
    };

    var secret = cfg.secretHex === null ? null : cfg.secretHex ? fromHex(cfg.secretHex) : defaultSimSecret();
    var jitter = simBoardJitter(board, String(scenario.seed === undefined ? "sim" : scenario.seed) + "/jitter", guarded);
    this.hal = createSimHal({ board: board, clock: guarded, trng: observed, jitter: jitter, flash: flash, secret: secret });
    if (this.hal.led) {
      this.hal.led.onChange(function (on: boolean, t: number) { self.led.push([t, on]); });
    }
    this.hal.onReboot(function () { self.rebootAsked = true; });

    var fl = firstlight, hasDevice = !!(fl && fl.device && typeof fl.device.start === "function");
    var mode = cfg.mode || "auto";
    if (mode === "auto") mode = hasDevice ? "device" : "gate";
    if (mode === "device" && !hasDevice) throw new Error("sim.boot: mode device, but no firstlight.device is loaded (load dist/firstlight-device.js first)");
    this.mode = mode;
    if (mode === "device") {
      var code = cfg.setupCode || "20202021";
      if (cfg.sealedSetupHex !== undefined) {
        var opened = openSetupSeal(this.hal.secret, fromHex(cfg.sealedSetupHex));
        if (typeof opened === "string") throw new Error("sim.boot: " + opened);
        code = opened.code;
      }
      var opts: any = {
        setupCode: code,
        log: function (line: string) { self.logs.push([sc.now(), String(line)]); },
      };
      if (cfg.windowMs !== undefined) opts.windowMs = cfg.windowMs;
      this.guard(function () { self.device = fl.device.start(self.hal, opts); });
    } else if (mode === "gate") {
      this.gate = createEntropyGate({ trng: observed, jitter: jitter, clock: guarded, board: board });
      var gate = this.gate;
      gate.onReady(function () { self.logs.push([sc.now(), "entropy gate open: " + gate.status().credited + " bits credited"]); });
      gate.onFailure(function (e) { self.logs.push([sc.now(), "entropy gate failed: " + e.code + ": " + e.message]); });
      gate.start();
    } else if (mode === "echo") {
      this.startEcho();
    } else throw new Error("sim.boot: unknown mode " + mode);
  }

  /**
   * The bridge's test fixture, exercising every path the device uses: each boot programs its
   * number into the next erased word of page 0 (flash write-through and reboot persistence); each
   * link echoes what it receives and closes itself after a chunk containing 0x04; the LED follows
   * the raw button level.
   */
  private startEcho(): void {
    var self = this, hal = this.hal, boots = 0, w: Uint8Array | null;
    for (var a = 0; a + 4 <= hal.flash.pageSize; a += 4) {
      w = hal.flash.read(a, 4);
      if (w !== null && w[0] === 0xff && w[1] === 0xff && w[2] === 0xff && w[3] === 0xff) break;
      boots++;
    }
    if (a + 4 <= hal.flash.pageSize) hal.flash.program(a, new Uint8Array([0, 0, 0, boots + 1]));
    this.logs.push([this.clock.now(), "echo: boot " + (boots + 1)]);
    hal.button.watch(function (pressed: boolean) {
      if (hal.led) hal.led.set(pressed);
    });
    hal.onLink(function (link: Link) {
      self.logs.push([self.clock.now(), "echo: link"]);
      link.onReceive(function (chunk: Uint8Array) {
        link.send(chunk);
        for (var i = 0; i < chunk.length; i++) if (chunk[i] === 4) return link.close();
      });
      link.onClose(function () { self.logs.push([self.clock.now(), "echo: link closed"]); });
    });
  }

  guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.faults.push(errText(e));
    }
  }

  open(id: number): void {
    if (this.links[id]) throw new Error("sim: link " + id + " is already open");
    var self = this;
    var b: BridgeLink = { link: null as unknown as Link, receiver: null, closeHandler: null, held: [], closed: false };
    b.link = {
      send: function (bytes: Uint8Array): HalError | null {
        if (b.closed) return "CLOSED";
        if (bytes.length) self.out.push([id, toHex(bytes)]);
        return null;
      },
      onReceive: function (h: (chunk: Uint8Array) => void) {
        b.receiver = h;
        var held = b.held;
        b.held = [];
        for (var i = 0; i < held.length; i++) self.guard(function () { h(held[i]); });
      },
      onClose: function (h: () => void) { b.closeHandler = h; },
      close: function () {
        if (b.closed) return;
        b.closed = true;
        self.closed.push(id);
        if (b.closeHandler) self.guard(b.closeHandler);
      },
    };
    this.links[id] = b;
    this.guard(function () { self.hal.connect(b.link); });
  }

  feed(id: number, hex: string): void {
    var b = this.links[id];
    if (!b || b.closed) return;
    var bytes = fromHex(hex);
    if (b.receiver) {
      var h = b.receiver;
      this.guard(function () { h(bytes); });
    } else b.held.push(bytes);
  }

  hangup(id: number): void {
    var b = this.links[id];
    if (!b || b.closed) return;
    b.closed = true;
    if (b.closeHandler) this.guard(b.closeHandler);
  }

  /** The gate's progress: the gate's (or the device's) own status when it reports one, else the observer's. */
  gateStatus(): { state: string; credited: number; needed: number; raw: number; observed: number; error?: string } {
    var o = this.observer, c = o.pool.credited(), observed = c < o.needed ? c : o.needed;
    if (this.gate) {
      var s = this.gate.status();
      var r: any = { state: s.state, credited: s.credited, needed: s.needed, raw: this.trng.delivered(), observed: observed };
      if (s.error) r.error = s.error.code + ": " + s.error.message;
      return r;
    }
    var st = this.device && this.device.status ? this.device.status() : null;
    if (st && st.entropy) return { state: st.entropy.state, credited: st.entropy.credited, needed: st.entropy.needed, raw: this.trng.delivered(), observed: observed };
    return {
      state: o.pool.failure ? "failed" : c >= o.needed ? "ready" : "gathering",
      credited: observed,
      needed: o.needed,
      raw: this.trng.delivered(),
      observed: observed,
    };
  }

  step(req: SimStepRequest): string {
    var i: number, self = this, res: any = {};
    if (req.open) for (i = 0; i < req.open.length; i++) this.open(req.open[i]);
    if (req.feed) for (i = 0; i < req.feed.length; i++) this.feed(req.feed[i][0], req.feed[i][1]);
    if (req.hangup) for (i = 0; i < req.hangup.length; i++) this.hangup(req.hangup[i]);
    if (req.press !== undefined) res.settledAt = this.hal.button.press(req.press, { bounceEdges: 4, bounceMs: 5 });
    if (req.advance !== undefined) this.clock.advance(req.advance);
    if (req.random !== undefined) {
      if (!this.gate) res.randomError = "random: gate mode only";
      else this.guard(function () { res.random = toHex((self.gate as EntropyGate).randomBytes(req.random as number)); });
    }
    var pages: [number, string][] = [], img: Uint8Array | null = null;
    for (var p in this.dirty) {
      if (!Object.prototype.hasOwnProperty.call(this.dirty, p)) continue;
      var n = +p;
      if (img === null) img = this.flash.image();
      pages.push([n, toHex(view(img, n * this.flash.pageSize, (n + 1) * this.flash.pageSize))]);
    }
    this.dirty = {};
    var devState = "", devStatus: unknown = null;
    if (this.device) {
      var d = this.device;
      this.guard(function () {
        devState = String(d.state());
        if (d.status) devStatus = d.status();
        if (req.identity && d.identityPublicKey) {
          var pub = d.identityPublicKey();
          res.identity = pub ? toHex(pub) : null;
        }
      });
    }
    res.status = devStatus;
    res.t = this.clock.now();
    res.out = this.out;
    res.closed = this.closed;
    res.log = this.logs;
    res.led = this.led;
    res.ledOn = this.hal.led ? this.hal.led.isOn() : false;
    res.flash = pages;
    this.guard(function () { res.gate = self.gateStatus(); });
    res.mode = this.mode;
    res.device = devState;
    res.reboot = this.rebootAsked;
    res.faults = this.faults;
    res.nextDue = this.clock.nextDue();
    res.pending = this.clock.pending();
    this.out = [];
    this.closed = [];
    this.logs = [];
    this.led = [];
    this.faults = [];
    this.rebootAsked = false;
    return asciiJson(res);
  }

  stop(): void {
    var self = this;
    if (this.device) {
      var d = this.device;
      this.guard(function () { d.stop(); });
    }
    if (this.gate) this.gate.stop();
    for (var id in this.links) {
      if (Object.prototype.hasOwnProperty.call(this.links, id)) self.hangup(+id);
    }
  }
}

function current(): World {
  if (!world) throw new Error("sim: not booted (call firstlight.sim.boot first)");
  return world;
}

var simApi = {
  /** Boots a new simulated device from a JSON SimBootConfig; answers with a JSON summary. */
  boot: function (configJson: string): string {
    if (world) world.stop();
    world = null;
    var w = new World(JSON.parse(configJson) as SimBootConfig);
    world = w;
    var faults = w.faults;
    w.faults = [];
    return asciiJson({ mode: w.mode, board: w.hal.board.name, needed: w.observer.needed, t: w.clock.now(), faults: faults, started: w.device !== null || w.gate !== null || w.mode === "echo" });
  },
  /** One host round trip (a JSON SimStepRequest); answers with everything new, as JSON. */
  step: function (requestJson: string): string {
    return current().step(JSON.parse(requestJson || "{}") as SimStepRequest);
  },
  /** The whole flash image as hex (the chip dump). */
  flashHex: function (): string {
    return toHex(current().flash.image());
  },
  /** Whether this engine holds a device image (firstlight.device). */
  hasDevice: function (): boolean {
    return !!(firstlight && firstlight.device && typeof firstlight.device.start === "function");
  },
  stop: function (): void {
    if (world) world.stop();
    world = null;
  },
};

// Keep whatever an earlier image (the device) put in `firstlight`, and add the simulator to it.
var fl0 = typeof firstlight === "object" && firstlight !== null ? firstlight : { version: "0.1.0" };
fl0.sim = simApi;
firstlight = fl0;
