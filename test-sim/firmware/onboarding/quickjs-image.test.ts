/**
 * The built image dist/firstlight-device.js (with the sim image's HAL bridge) on QuickJS, against the
 * real commissioner on Node, in one process: a full pairing and a session, and the device-side cost
 * of each step measured in X25519-equivalents on the same engine.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { toHex, utf8Encode } from "../../../commissioner/bytes.ts";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession } from "../../../commissioner/session.ts";
import { LinkFrameTransport, type ByteLink } from "../../../commissioner/transport.ts";
import { QuickJsSession } from "../../engines/quickjs.ts";
import { DIST } from "../../../build/paths.ts";
import { simBoard, CODE } from "./harness.ts";

const DEVICE = join(DIST, "firstlight-device.js");
const SIM = join(DIST, "firstlight-sim.js");
const skip = !(existsSync(DEVICE) && existsSync(SIM)) && "images not built (npx tsx build/build.ts)";

interface StepAnswer {
  out: [number, string][];
  closed: number[];
  log: [number, string][];
  device: string;
  faults: string[];
}

class Engine {
  /** Engine milliseconds spent in each step that fed bytes, with the first frame type fed. */
  readonly costs: { type: number; ms: number }[] = [];
  private handlers = new Map<number, { data: (c: Uint8Array) => void; close: () => void }>();
  private nextId = 1;
  closed = false;
  constructor(readonly js: QuickJsSession) {}

  step(req: object): StepAnswer {
    const a = JSON.parse(this.js.eval("firstlight.sim.step(" + JSON.stringify(JSON.stringify(req)) + ")")) as StepAnswer;
    assert.deepEqual(a.faults, [], "device faults");
    for (const [id, hex] of a.out) this.handlers.get(id)?.data(Uint8Array.from(Buffer.from(hex, "hex")));
    for (const id of a.closed) this.handlers.get(id)?.close();
    return a;
  }

  link(): LinkFrameTransport {
    const id = this.nextId++;
    const h = { data: (_c: Uint8Array) => {}, close: () => {} };
    this.handlers.set(id, h);
    const self = this;
    const byteLink: ByteLink = {
      write(bytes) {
        const t0 = performance.now();
        self.step({ feed: [[id, Buffer.from(bytes).toString("hex")]], advance: 0 }); // advance 0: the split-phase steps
        self.costs.push({ type: bytes[1], ms: performance.now() - t0 });
        return Promise.resolve();
      },
      onData: (cb) => (h.data = cb),
      onClose: (cb) => (h.close = () => cb()),
      destroy: () => void setImmediate(() => { if (!self.closed) self.step({ hangup: [id] }); }),
    };
    const t = new LinkFrameTransport(byteLink, "quickjs:device");
    this.step({ open: [id] });
    return t;
  }
}

test("the built device image on QuickJS (256 KB heap) pairs with the commissioner and serves a session; device-side cost in X25519s", { skip, timeout: 120_000 }, async () => {
  // A board-like heap: both images, the sim HAL, the store and a full pairing and session fit in
  // 256 KB of QuickJS heap (they were seen to fit in 128 KB, and not in 64 KB).
  const js = await QuickJsSession.open({ memoryLimit: 256 << 10 });
  let engine: Engine | null = null;
  try {
    js.eval(readFileSync(DEVICE, "utf8"), "firstlight-device.js");
    js.eval(readFileSync(SIM, "utf8"), "firstlight-sim.js");
    assert.equal(js.eval("firstlight.sim.hasDevice()"), "true");
    const boot = JSON.parse(js.eval("firstlight.sim.boot(" + JSON.stringify(JSON.stringify({ board: simBoard(), setupCode: CODE, mode: "device" })) + ")"));
    assert.equal(boot.mode, "device");
    const e = new Engine(js);
    engine = e;
    let a = e.step({ advance: 0 });
    for (let i = 0; i < 100 && !a.log.some(([, l]) => l.startsWith("entropy gate open")); i++) a = e.step({ advance: 100 });
    e.step({ press: 300, advance: 1000 });
    assert.equal(e.step({ advance: 0 }).device, "window-open");

    // One X25519 on this engine, for the unit of cost.
    const bench = (fn: string) => Number(js.eval(`(function () {
      var c = firstlight.crypto, k = new Uint8Array(32), u = new Uint8Array(32), t0 = Date.now(), n = 8;
      for (var j = 0; j < 32; j++) { k[j] = 7 * j + 1; u[j] = 3 * j + 5; }
      u[31] &= 127;
      for (var i = 0; i < n; i++) u = ${fn};
      return String((Date.now() - t0) / n);
    })()`));
    bench("c.x25519(k, u)"); // warm-up: the first runs on a fresh engine are several times slower
    const xVar = bench("c.x25519(k, u)"), xBase = bench("c.x25519Base(u)");
    const x = (xVar + xBase) / 2;
    console.log("# QuickJS X25519 " + xVar.toFixed(1) + " ms, X25519 base " + xBase.toFixed(1) + " ms (the same ladder)");

    const me = generateKeyPair();
    const res = await pair(e.link(), { code: CODE, identity: me, stepTimeoutMs: 20_000 });
    assert.equal(e.step({ advance: 0 }).device, "paired");
    const hello = e.costs.find((c) => c.type === 0x01)!.ms, confirm = e.costs.find((c) => c.type === 0x03)!.ms;

    const s = await openSession(e.link(), { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: 20_000 });
    const m = utf8Encode("through QuickJS");
    assert.deepEqual(await s.echo(m, 20_000), m);
    const sessionHello = e.costs.find((c) => c.type === 0x10)!.ms;
    s.close();
    e.step({ advance: 0 });
    assert.match(toHex(res.devicePublicKey), /^[0-9a-f]{64}$/);
    const eq = (ms: number) => (ms / x).toFixed(1);
    console.log(`# QuickJS device-side cost, in X25519s of ${x.toFixed(1)} ms: PAIR_HELLO ${hello.toFixed(0)} ms (${eq(hello)}, incl. the first identity key), PAIR_CONFIRM ${confirm.toFixed(0)} ms (${eq(confirm)}), SESSION_HELLO ${sessionHello.toFixed(0)} ms (${eq(sessionHello)})`);
    // Counted from the code (timings on a shared machine are only indicative): PAIR_HELLO does 6
    // X25519s (CPace Y and K, the s public key, e, ee, es) plus Elligator2 and one store write;
    // PAIR_CONFIRM 1 (se) and two store writes; SESSION_HELLO 6 (s public key, es, ss, e, ee, se).
    assert.ok(hello > confirm, "PAIR_HELLO carries most of the pairing's work");
  } finally {
    try { js.eval("firstlight.sim.stop()"); } catch { /* ignore */ }
    if (engine) engine.closed = true;
    js.close();
  }
});
