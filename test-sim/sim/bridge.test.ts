/**
 * The simulator bridge (firmware/images/sim.ts, built) on Node, QuickJS and Duktape: the entropy
 * gate filling on virtual time, the same bytes on every engine, links over real TCP, the button and
 * LED, flash written through to the file and kept across a reboot.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EMBEDDED_SIM_BOARD } from "./board.ts";
import { availableEngines } from "../engines/tools.ts";
import { ENGINES, jsStringLiteral, openEngine, type EngineName } from "./engines.ts";
import { SIM_IMAGE, SimDevice, type StepAnswer } from "./sim-device.ts";

const board = EMBEDDED_SIM_BOARD;
const engines = availableEngines(ENGINES);

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "firstlight-bridge-"));
}

async function withDevice<T>(engine: EngineName, mode: "gate" | "echo", fn: (d: SimDevice, dir: string) => Promise<T>): Promise<T> {
  const dir = tmp();
  const d = await SimDevice.start({ engine, board, mode, images: [SIM_IMAGE], flashPath: join(dir, "flash.bin") });
  try {
    return await fn(d, dir);
  } finally {
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("jsStringLiteral: non-ASCII and line separators are escaped, the value survives", () => {
  const s = "a\u2028b\u00e9\n\"\u{1f600}";
  const lit = jsStringLiteral(s);
  assert.match(lit, /^[\x20-\x7e]+$/);
  assert.equal(JSON.parse(lit), s);
});

const gateRuns = new Map<EngineName, { progress: number[]; openAt: number; random: string; raw: number }>();

for (const engine of engines) {
  test(`${engine}: the entropy gate fills on virtual time, credited as the observer counts it, then gives random bytes`, async () => {
    await withDevice(engine, "gate", async (d) => {
      const progress: number[] = [];
      let a: StepAnswer = await d.step();
      assert.equal(a.mode, "gate");
      assert.equal(a.gate.state, "gathering");
      assert.equal(a.gate.needed, 256);
      // Before the gate opens no random byte is handed out.
      const early = await d.step({ random: 16 });
      assert.equal(early.random, undefined);
      assert.ok(early.faults.some((f) => f.startsWith("ENTROPY_NOT_READY")), early.faults.join("; "));
      while (a.gate.state === "gathering" && a.t < 10_000) {
        a = await d.step({ advance: 62.5 });
        assert.equal(a.gate.credited, a.gate.observed, "the observer credits exactly as the gate does");
        progress.push(a.gate.credited);
      }
      assert.equal(a.gate.state, "ready");
      for (let i = 1; i < progress.length; i++) assert.ok(progress[i] >= progress[i - 1], "progress never goes back");
      // The first 1024 samples are start-up samples (credited nothing); 0.5 bit/B then needs 512 more bytes.
      assert.ok(a.gate.raw >= 1024 + 512, `raw ${a.gate.raw}`);
      assert.ok(progress.filter((c) => c > 0 && c < 256).length >= 4, "the bar fills in steps: " + progress.join(","));
      assert.ok(d.logs.some(([, l]) => /entropy gate open: 256 bits/.test(l)));
      const r = await d.step({ random: 32 });
      assert.match(r.random ?? "", /^[0-9a-f]{64}$/);
      gateRuns.set(engine, { progress, openAt: a.t, random: r.random!, raw: a.gate.raw });
    });
  });
}

test("every engine opens the gate at the same virtual time with the same DRBG output (the sim is deterministic)", (t) => {
  const runs = [...gateRuns.entries()];
  if (runs.length < 2) return t.skip("fewer than two engines ran");
  for (const [name, r] of runs.slice(1)) {
    assert.deepEqual(r.progress, runs[0][1].progress, name);
    assert.equal(r.openAt, runs[0][1].openAt, name);
    assert.equal(r.random, runs[0][1].random, name);
  }
});

test("a different TRNG seed gives different random bytes", async () => {
  const dir = tmp();
  const d = await SimDevice.start({ engine: "node", board, mode: "gate", images: [SIM_IMAGE], flashPath: join(dir, "f.bin"), trng: { kind: "healthy", seed: "other" } });
  try {
    const a = await d.advanceUntil((x) => x.gate.state === "ready", 5000, 100);
    assert.ok(a);
    const r = await d.step({ random: 32 });
    const ref = gateRuns.get("node");
    if (ref) assert.notEqual(r.random, ref.random);
  } finally {
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a stuck TRNG fails the gate and the progress shows it", async () => {
  const dir = tmp();
  const d = await SimDevice.start({ engine: "node", board, mode: "gate", images: [SIM_IMAGE], flashPath: join(dir, "f.bin"), trng: { kind: "stuck", value: 7 } });
  try {
    const a = await d.advanceUntil((x) => x.gate.state !== "gathering", 5000, 100);
    assert.equal(a?.gate.state, "failed");
    assert.match(a?.gate.error ?? "", /ENTROPY_SOURCE_FAILED/);
  } finally {
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  });
}

for (const engine of engines) {
  test(`${engine}: TCP bytes reach the device's link and its answer comes back; the device can close the link`, async () => {
    await withDevice(engine, "echo", async (d) => {
      d.realtime(true);
      await d.listen();
      const s = await connect(d.port);
      const got: Buffer[] = [];
      const closed = new Promise<void>((r) => s.on("close", () => r()));
      s.on("data", (b) => got.push(b));
      const payload = Buffer.alloc(3000);
      for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + 1) & 0xff || 1;
      for (let i = 0; i < payload.length; i++) if (payload[i] === 4) payload[i] = 5;
      s.write(payload);
      const deadline = Date.now() + 10_000;
      while (Buffer.concat(got).length < payload.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(Buffer.concat(got), payload);
      s.write(Buffer.from([4]));
      await closed;
      assert.equal(Buffer.concat(got).length, payload.length + 1);
      assert.equal(d.bytesIn, payload.length + 1);
      assert.equal(d.bytesOut, payload.length + 1);
      await d.step();
      assert.ok(d.logs.some(([, l]) => l === "echo: link closed"));
    });
  });
}

test("a commissioner hanging up closes the device's link", async () => {
  await withDevice("node", "echo", async (d) => {
    d.realtime(true);
    await d.listen();
    const s = await connect(d.port);
    s.write("hi");
    await new Promise((r) => s.once("data", r));
    s.destroy();
    const deadline = Date.now() + 5000;
    while (!d.logs.some(([, l]) => l === "echo: link closed") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(d.logs.some(([, l]) => l === "echo: link closed"));
  });
});

for (const engine of engines) {
  test(`${engine}: button edges (with bounce) reach the device on virtual time; the LED changes are reported`, async () => {
    await withDevice(engine, "echo", async (d) => {
      const changes: [number, boolean][] = [];
      const dev = d as SimDevice & { o: { onLed?: (t: number, on: boolean) => void } };
      dev.o.onLed = (t, on) => changes.push([t, on]);
      const t0 = (await d.step()).t;
      const settled = await d.press(200);
      assert.equal(settled, t0 + 205);
      let a = await d.advance(100);
      assert.equal(a.ledOn, true);
      a = await d.advance(200);
      assert.equal(a.ledOn, false);
      assert.deepEqual(changes[0], [t0, true]);
      assert.equal(changes[changes.length - 1][1], false);
      assert.ok(changes.length > 2, "the bounce shows as extra edges");
    });
  });
}

for (const engine of engines) {
  test(`${engine}: flash writes go through to the file page by page, and a reboot boots from the file`, async () => {
    await withDevice(engine, "echo", async (d, dir) => {
      const file = join(dir, "flash.bin");
      await d.step();
      let img = readFileSync(file);
      assert.equal(img.length, board.flash.pageSize * board.flash.pageCount);
      assert.deepEqual([...img.subarray(0, 8)], [0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff]);
      assert.deepEqual(await d.flashImage(), img);
      await d.reboot();
      await d.step();
      img = readFileSync(file);
      assert.deepEqual([...img.subarray(0, 12)], [0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff]);
      assert.equal(d.boots, 2);
      assert.ok(d.logs.some(([, l]) => l === "echo: boot 2"));
    });
  });
}

for (const engine of engines) {
  test(`${engine}: an exception in the bridge comes back as an error, and the engine keeps answering`, async () => {
    const e = await openEngine(engine, [SIM_IMAGE]);
    try {
      await assert.rejects(e.call("step", "{}"), /not booted/);
      await assert.rejects(e.call("boot", "{not json"), /SyntaxError|JSON|Unexpected|token/i);
      assert.equal(await e.call("hasDevice"), "false");
    } finally {
      await e.close();
    }
  });
}
