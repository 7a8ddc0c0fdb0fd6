/**
 * The built device image on QuickJS and Duktape (and Node) against the commissioner on Node over
 * loopback TCP, through the simulator host: the 20-attempt lockout surviving a reboot, a reboot
 * in the middle of a pairing that still counts the attempt, a man in the middle, rekeying.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "../../commissioner/noise.ts";
import { pair } from "../../commissioner/pairing.ts";
import { openSession } from "../../commissioner/session.ts";
import { connectTcp, socketTransport } from "../../commissioner/transport.ts";
import { TestDevice } from "../commissioner/test-device.ts";
import { loadSimBoard } from "./board.ts";
import { availableEngines } from "../engines/tools.ts";
import { ENGINES, type EngineName } from "./engines.ts";
import { DEVICE_IMAGE, SimDevice } from "./sim-device.ts";

const CODE = "20202021";
const WRONG = "20202022";
const skip = !existsSync(DEVICE_IMAGE) && "the device image is not built";
const engines = availableEngines(ENGINES);
const { board } = loadSimBoard("sim");
const me = generateKeyPair();

async function device(engine: EngineName, dir: string): Promise<SimDevice> {
  const dev = await SimDevice.start({ engine, board, flashPath: join(dir, "flash.bin"), eraseFlash: true, setupCode: CODE, mode: "device" });
  await dev.listen();
  assert.ok(await dev.advanceUntil((a) => a.gate.state === "ready", 60_000, 100), "the gate opens");
  return dev;
}

async function openWindow(dev: SimDevice): Promise<void> {
  dev.realtime(false);
  await dev.press(200);
  const a = await dev.advance(500, 50);
  assert.equal(a.status?.state, "window-open");
  dev.realtime(true);
}

async function attempt(dev: SimDevice, code: string, onStep?: (s: string) => void): Promise<any> {
  const t = await connectTcp(dev.url);
  return pair(t, { code, identity: me, stepTimeoutMs: 20_000, onStep }).then(
    () => "paired",
    (e) => e,
  );
}

for (const engine of engines) {
  test(`${engine}: 20 wrong codes lock the device, and the lock survives a reboot from the flash file`, { skip, timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "firstlight-lock-"));
    const dev = await device(engine, dir);
    try {
      await openWindow(dev);
      for (let i = 1; i <= 20; i++) {
        const e = await attempt(dev, WRONG);
        assert.equal(e.code, "PAIRING_FAILED", `attempt ${i}: ${e.message}`);
        assert.equal(e.attemptsLeft, 20 - i);
      }
      let a = await dev.step();
      assert.equal(a.status?.state, "locked");
      // The 20th failure closes the window too, so the device may say either (docs/protocol.md §2.2).
      assert.match((await attempt(dev, CODE)).code, /^(LOCKED|WINDOW_CLOSED)$/, "even the right code is refused");

      dev.realtime(false);
      await dev.reboot();
      a = await dev.step();
      assert.equal(a.status?.state, "locked");
      assert.equal(a.status?.failedAttempts, 20);
      await dev.advanceUntil((x) => x.gate.state === "ready", 60_000, 100);
      await dev.press(200);
      a = await dev.advance(500, 50);
      assert.equal(a.status?.state, "locked", "a short press does not open the window");
      assert.ok(dev.logs.some(([, l]) => /short press .*locked/.test(l)));
      dev.realtime(true);
      assert.match((await attempt(dev, CODE)).code, /^(LOCKED|WINDOW_CLOSED)$/);
      assert.deepEqual(dev.faults, []);
    } finally {
      await dev.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${engine}: a reboot in the middle of a pairing still counts the attempt; pairing afterwards works`, { skip, timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "firstlight-midreboot-"));
    const dev = await device(engine, dir);
    try {
      await openWindow(dev);
      let rebooted: Promise<void> | null = null;
      const e = await attempt(dev, CODE, (s) => {
        if (s === "response") rebooted = dev.reboot();
      });
      await rebooted;
      assert.notEqual(e, "paired");
      assert.match(e.code, /LINK_CLOSED|PROTO_TIMEOUT/);
      dev.realtime(false);
      let a = await dev.step();
      assert.equal(a.status?.failedAttempts, 1, "the attempt was counted in flash before any other work");
      assert.equal(a.status?.state, "unpaired");
      await dev.advanceUntil((x) => x.gate.state === "ready", 60_000, 100);
      await openWindow(dev);
      assert.equal(await attempt(dev, CODE), "paired");
      a = await dev.step();
      assert.equal(a.status?.state, "paired");
      assert.equal(a.status?.failedAttempts, 0);
      assert.equal(dev.boots, 2);
    } finally {
      await dev.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

for (const engine of engines) {
  test(`${engine}: a man in the middle relaying with its own keys fails on both sides; nothing is stored`, { skip, timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "firstlight-mitm-"));
    const dev = await device(engine, dir);
    // The relay does not know the code: it plays device to the commissioner and commissioner to
    // the device, each with its own keys and a guessed code.
    const GUESS = "31415926";
    const relay = net.createServer((sock) => {
      const fake = new TestDevice({ code: GUESS });
      void fake.pair(socketTransport(sock, "commissioner"));
      void connectTcp(dev.url).then((t) => pair(t, { code: GUESS, identity: generateKeyPair(), stepTimeoutMs: 20_000 }).catch((e) => (relayToDevice = e.code)));
    });
    let relayToDevice = "";
    await new Promise<void>((r) => relay.listen(0, "127.0.0.1", () => r()));
    try {
      await openWindow(dev);
      const port = (relay.address() as net.AddressInfo).port;
      const t = await connectTcp(`tcp://127.0.0.1:${port}`);
      const e = await pair(t, { code: CODE, identity: me, stepTimeoutMs: 20_000 }).catch((x) => x);
      assert.equal(e.code, "PAIRING_FAILED", "the commissioner's confirm does not open at the relay");
      const deadline = Date.now() + 10_000;
      while (!relayToDevice && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(relayToDevice, "PAIRING_FAILED", "the relay's confirm does not open at the device");
      const a = await dev.step();
      assert.equal(a.status?.paired, false);
      assert.equal(a.status?.failedAttempts, 1);
      // The honest commissioner, directly, still pairs.
      assert.equal(await attempt(dev, CODE), "paired");
    } finally {
      await new Promise((r) => relay.close(r));
      await dev.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${engine}: sessions rekey by policy in both directions and keep echoing`, { skip, timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "firstlight-rekey-"));
    const dev = await device(engine, dir);
    try {
      await openWindow(dev);
      // The device's policy comes from the pairing configuration (§2.6): rekey after 3 messages.
      const res = await pair(await connectTcp(dev.url), { code: CODE, identity: me, rekeyMessages: 3, stepTimeoutMs: 20_000 });
      const s = await openSession(await connectTcp(dev.url), { identity: me, devicePublicKey: res.devicePublicKey, rekeyMessages: 2, handshakeTimeoutMs: 20_000 });
      for (let i = 0; i < 10; i++) assert.deepEqual([...(await s.echo(Uint8Array.of(i, i + 1)))], [i, i + 1]);
      assert.ok(s.stats.rekeysSent >= 4, JSON.stringify(s.stats));
      assert.ok(s.stats.rekeysReceived >= 2, JSON.stringify(s.stats));
      s.close();
      await new Promise((r) => setTimeout(r, 50));
      const a = await dev.step();
      assert.ok((a.status?.session?.rekeysReceived ?? 0) >= 4, JSON.stringify(a.status?.session));
      assert.ok((a.status?.session?.rekeysSent ?? 0) >= 2, JSON.stringify(a.status?.session));
    } finally {
      await dev.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
