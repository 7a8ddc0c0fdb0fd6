/**
 * The web commissioner's links (web/links/) against fakes of the browser objects they take, with
 * a whole pairing and session run through each: Web Serial and Web Bluetooth cannot run in headless
 * Chromium (no port, no adapter), so these fakes are where their framing is tested. The WebSocket
 * link runs against the simulator's real bridge (hal/sim/ws-link.node.ts) with the `ws` client.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { WebSocket } from "ws";
import { utf8Encode } from "../../commissioner/bytes.ts";
import { CommissionerError } from "../../commissioner/errors.ts";
import { encodeFrame, FRAME } from "../../commissioner/framing.ts";
import { LinkFrameTransport, type ByteLink, type FrameTransport } from "../../commissioner/frame-transport.ts";
import { generateKeyPair } from "../../commissioner/noise.ts";
import { pair } from "../../commissioner/pairing.ts";
import { openSession } from "../../commissioner/session.ts";
import type { Link } from "../../hal/link.ts";
import { listenWsLinks, loopbackOrigin } from "../../hal/sim/ws-link.node.ts";
import { BLE_CHUNK, NUS_RX, NUS_SERVICE, NUS_TX, openBluetoothLink, type BluetoothDeviceLike, type CharacteristicLike } from "../../web/links/bluetooth.ts";
import { openSerialLink, type SerialPortLike } from "../../web/links/serial.ts";
import { checkWebSocketUrl, openWebSocketLink, type WebSocketLike } from "../../web/links/websocket.ts";
import { TestDevice } from "../commissioner/test-device.ts";

const CODE = "20202021";

/** The device's end of a fake: bytes to the commissioner go through `toCommissioner`, split as `split` says. */
function deviceEnd(toCommissioner: (b: Uint8Array) => void, close: () => void): { link: ByteLink; fromCommissioner: (b: Uint8Array) => void; hangUp: () => void } {
  let data: (b: Uint8Array) => void = () => {};
  let closed: (e?: Error) => void = () => {};
  return {
    link: { write: async (b) => toCommissioner(b.slice()), onData: (cb) => (data = cb), onClose: (cb) => (closed = cb), destroy: close },
    fromCommissioner: (b) => data(b),
    hangUp: () => closed(),
  };
}

/** Pairing then a session with echo, the TestDevice on the far side. */
async function pairAndEcho(connect: () => Promise<{ commissioner: FrameTransport; device: FrameTransport }>): Promise<void> {
  const dev = new TestDevice({ code: CODE, info: { board: "fake" } });
  const identity = generateKeyPair();
  let c = await connect();
  const [ok, r] = await Promise.all([dev.pair(c.device), pair(c.commissioner, { code: CODE, identity })]);
  assert.equal(ok, true);
  assert.deepEqual(r.devicePublicKey, dev.identity.publicKey);
  c = await connect();
  const served = dev.serve(c.device);
  const s = await openSession(c.commissioner, { identity, devicePublicKey: r.devicePublicKey });
  // Larger than one BLE write and one serial chunk: reassembled from many.
  const text = "hello over a fake port ".repeat(20);
  assert.equal(new TextDecoder().decode(await s.echo(utf8Encode(text))), text);
  s.close();
  await served;
}

// ---------------------------------------------------------------------------------------------
// Web Serial

class FakeSerialPort implements SerialPortLike {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  opened = 0;
  closed = 0;
  writes: Uint8Array[] = [];
  private ctrl!: ReadableStreamDefaultController<Uint8Array>;
  device!: ReturnType<typeof deviceEnd>;
  constructor(private o: { failOpen?: string; chunk?: number } = {}) {}

  async open(opts: { baudRate: number }): Promise<void> {
    if (this.o.failOpen) throw new Error(this.o.failOpen);
    assert.equal(opts.baudRate, 115200);
    this.opened++;
    this.readable = new ReadableStream<Uint8Array>({ start: (c) => void (this.ctrl = c) });
    this.writable = new WritableStream<Uint8Array>({
      write: (b) => {
        this.writes.push(b);
        this.device.fromCommissioner(b);
      },
    });
    // The device's UART writes arrive in chunks of `chunk` bytes, as a USB CDC port delivers them.
    const n = this.o.chunk ?? 7;
    this.device = deviceEnd((b) => {
      for (let i = 0; i < b.length; i += n) this.ctrl.enqueue(b.slice(i, i + n));
    }, () => this.unplug());
  }

  async close(): Promise<void> {
    this.closed++;
    this.device.hangUp();
  }

  unplug(): void {
    try {
      this.ctrl.close();
    } catch {
      // already closed
    }
  }
}

test("Web Serial: a pairing and a session over a fake port, the device's bytes arriving in 7-byte chunks", async () => {
  await pairAndEcho(async () => {
    const port = new FakeSerialPort();
    const commissioner = new LinkFrameTransport(await openSerialLink(port), "serial");
    return { commissioner, device: new LinkFrameTransport(port.device.link, "commissioner") };
  });
});

test("Web Serial: a port that will not open is LINK_REFUSED; an unplugged port ends the conversation with LINK_CLOSED; close closes the port", async () => {
  await assert.rejects(openSerialLink(new FakeSerialPort({ failOpen: "Failed to open serial port." })), (e: CommissionerError) => e.code === "LINK_REFUSED" && /Failed to open/.test(e.message));
  const port = new FakeSerialPort();
  const t = new LinkFrameTransport(await openSerialLink(port), "serial");
  const waiting = t.receive(2000);
  port.unplug();
  await assert.rejects(waiting, (e: CommissionerError) => e.code === "LINK_CLOSED" && /serial port closed/.test(e.message));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(port.closed, 1);
  const port2 = new FakeSerialPort();
  const t2 = new LinkFrameTransport(await openSerialLink(port2), "serial");
  await t2.send(FRAME.ERROR, Uint8Array.of(8));
  assert.deepEqual(port2.writes[0], encodeFrame(FRAME.ERROR, Uint8Array.of(8)));
  t2.close();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(port2.closed, 1);
});

test("Web Serial: bytes that are not a frame (an Espruino REPL prompt) fail with PROTO_BAD_VERSION", async () => {
  const port = new FakeSerialPort();
  const t = new LinkFrameTransport(await openSerialLink(port), "serial");
  const got = t.receive(2000);
  await port.device.link.write(utf8Encode("\r\n>"));
  await assert.rejects(got, (e: CommissionerError) => e.code === "PROTO_BAD_VERSION");
});

// ---------------------------------------------------------------------------------------------
// Web Bluetooth (Nordic UART Service)

type Listener = (ev: { target: { value?: DataView | null } }) => void;

class FakeNus {
  rxWrites: Uint8Array[] = [];
  inFlight = 0;
  maxInFlight = 0;
  notifying = false;
  disconnected = 0;
  private txListeners: Listener[] = [];
  private goneListeners: (() => void)[] = [];
  device!: ReturnType<typeof deviceEnd>;
  connected = false;

  constructor(private o: { noService?: boolean } = {}) {}

  bluetoothDevice(): BluetoothDeviceLike {
    const rx: CharacteristicLike = {
      startNotifications: async () => {},
      writeValue: async () => assert.fail("the link writes with response (writeValueWithResponse) when it can"),
      writeValueWithResponse: async (v) => {
        assert.ok(v.length <= BLE_CHUNK, `a BLE write of ${v.length} bytes`);
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        await new Promise((r) => setTimeout(r, 0));
        this.inFlight--;
        this.rxWrites.push(v.slice());
        this.device.fromCommissioner(v.slice());
      },
      addEventListener: () => {},
    };
    const tx: CharacteristicLike = {
      startNotifications: async () => void (this.notifying = true),
      writeValue: async () => assert.fail("TX is not written"),
      addEventListener: (_t, cb) => void this.txListeners.push(cb),
    };
    const server = {
      get connected() {
        return true;
      },
      connect: async () => {
        this.connected = true;
        return server;
      },
      disconnect: () => {
        this.disconnected++;
        this.device.hangUp();
      },
      getPrimaryService: async (uuid: string) => {
        if (this.o.noService || uuid !== NUS_SERVICE) throw new Error("No Services matching UUID " + uuid + " found in Device.");
        return { getCharacteristic: async (c: string) => (c === NUS_RX ? rx : c === NUS_TX ? tx : assert.fail("unknown characteristic " + c)) };
      },
    };
    // Notifications carry at most 20 bytes each, as with the default MTU.
    this.device = deviceEnd((b) => {
      assert.ok(this.notifying, "the device notifies only after startNotifications");
      for (let i = 0; i < b.length; i += BLE_CHUNK) {
        const piece = b.slice(i, i + BLE_CHUNK);
        for (const l of this.txListeners) l({ target: { value: new DataView(piece.buffer) } });
      }
    }, () => this.drop());
    return { name: "Puck.js f00d", gatt: server, addEventListener: (_t, cb) => void this.goneListeners.push(cb) };
  }

  drop(): void {
    for (const l of this.goneListeners) l();
  }
}

test("Web Bluetooth: a pairing and a session over a fake Nordic UART service: writes of at most 20 bytes, one at a time, in order", async () => {
  const all: FakeNus[] = [];
  await pairAndEcho(async () => {
    const nus = new FakeNus();
    all.push(nus);
    const commissioner = new LinkFrameTransport(await openBluetoothLink(nus.bluetoothDevice()), "bluetooth");
    return { commissioner, device: new LinkFrameTransport(nus.device.link, "commissioner") };
  });
  for (const n of all) {
    assert.ok(n.rxWrites.length > 1);
    assert.equal(n.maxInFlight, 1);
  }
  // The pairing's link is ended by the device (it disconnects); the session's by us: GATT disconnected.
  assert.equal(all[1].disconnected, 1, "closing the link disconnects GATT");
});

test("Web Bluetooth: no Nordic UART service is LINK_REFUSED; a dropped connection ends the conversation with LINK_CLOSED", async () => {
  await assert.rejects(openBluetoothLink(new FakeNus({ noService: true }).bluetoothDevice()), (e: CommissionerError) => e.code === "LINK_REFUSED" && /Nordic UART/.test(e.message));
  const nus = new FakeNus();
  const t = new LinkFrameTransport(await openBluetoothLink(nus.bluetoothDevice()), "bluetooth");
  const waiting = t.receive(2000);
  nus.drop();
  await assert.rejects(waiting, (e: CommissionerError) => e.code === "LINK_CLOSED" && /Bluetooth connection to Puck.js f00d dropped/.test(e.message));
  await assert.rejects(t.send(FRAME.ERROR, Uint8Array.of(8)), (e: CommissionerError) => e.code === "LINK_CLOSED");
});

// ---------------------------------------------------------------------------------------------
// WebSocket, against the simulator's bridge

/** A HAL Link (the device's side of the bridge) as a ByteLink for the TestDevice. */
function linkAsByteLink(l: Link): ByteLink {
  return {
    write: async (b) => {
      if (l.send(b) !== null) throw new CommissionerError("LINK_CLOSED", "closed");
    },
    onData: (cb) => l.onReceive(cb),
    onClose: (cb) => l.onClose(() => cb()),
    destroy: () => l.close(),
  };
}

const wsFactory = (origin?: string) => (url: string) => new WebSocket(url, origin ? { origin } : {}) as unknown as WebSocketLike;

test("WebSocket: a pairing and a session through the simulator's bridge", async () => {
  const links: Link[] = [];
  const waiting: ((l: Link) => void)[] = [];
  const server = await listenWsLinks(0, "127.0.0.1", (l) => (waiting.length ? waiting.shift()!(l) : links.push(l)));
  const url = `ws://127.0.0.1:${server.port}`;
  try {
    await pairAndEcho(async () => {
      const deviceSide = new Promise<Link>((r) => (links.length ? r(links.shift()!) : waiting.push(r)));
      const commissioner = new LinkFrameTransport(await openWebSocketLink(url, wsFactory("http://127.0.0.1:8080"), 5000), url);
      return { commissioner, device: new LinkFrameTransport(linkAsByteLink(await deviceSide), "commissioner") };
    });
  } finally {
    await server.close();
  }
});

test("WebSocket: a page from another origin is refused; nothing listening is LINK_REFUSED; a bad address is LINK_BAD_ADDRESS", async () => {
  const server = await listenWsLinks(0, "127.0.0.1", () => assert.fail("no link for a foreign origin"));
  const url = `ws://127.0.0.1:${server.port}`;
  try {
    await assert.rejects(openWebSocketLink(url, wsFactory("https://evil.example"), 5000), (e: CommissionerError) => e.code === "LINK_REFUSED");
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { origin: "https://evil.example" });
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("error", () => {});
    });
    assert.equal(status, 403);
  } finally {
    await server.close();
  }
  await assert.rejects(openWebSocketLink(url, wsFactory(), 5000), (e: CommissionerError) => e.code === "LINK_REFUSED");
  assert.throws(() => checkWebSocketUrl("tcp://127.0.0.1:1"), (e: CommissionerError) => e.code === "LINK_BAD_ADDRESS");
  assert.throws(() => checkWebSocketUrl("ws://127.0.0.1"), (e: CommissionerError) => e.code === "LINK_BAD_ADDRESS");
  assert.equal(checkWebSocketUrl(" ws://[::1]:40000/ "), "ws://[::1]:40000/");
  assert.equal(loopbackOrigin(undefined), true);
  assert.equal(loopbackOrigin("http://localhost:8080"), true);
  assert.equal(loopbackOrigin("http://127.0.0.1.evil.example"), false);
  assert.equal(loopbackOrigin("null"), false);
});

test("WebSocket bridge: a text message is not bytes: the bridge closes that connection, the device sees the link close", async () => {
  let deviceClosed!: () => void;
  const closed = new Promise<void>((r) => (deviceClosed = r));
  const server = await listenWsLinks(0, "127.0.0.1", (l) => {
    l.onReceive(() => assert.fail("a text message reached the device"));
    l.onClose(deviceClosed);
  });
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}`);
    await new Promise((r) => ws.once("open", r));
    const code = new Promise<number>((r) => ws.once("close", (c) => r(c)));
    ws.send("hello");
    assert.equal(await code, 1003);
    await closed;
  } finally {
    await server.close();
  }
});
