/**
 * The built device image on every engine against hostile bytes over loopback TCP (docs/protocol.md
 * §1, §2.2, §3.3, §4): malformed, oversized and truncated frames, a low-order CPace share, and
 * replayed, reordered and tampered DATA in a session. Each gets its ERROR frame and a closed link,
 * and leaves the device in its state from before the conversation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { concatBytes, u64be } from "../../commissioner/bytes.ts";
import { FRAME, FrameDecoder, type Frame } from "../../commissioner/framing.ts";
import { generateKeyPair, HandshakeState } from "../../commissioner/noise.ts";
import { pair, pairingPrologue, PAIRING_PROTOCOL } from "../../commissioner/pairing.ts";
import { openSession } from "../../commissioner/session.ts";
import { FIRST_FRAME_MS } from "../../firmware/onboarding/conversation.ts";
import { connectTcp, type FrameTransport } from "../../commissioner/transport.ts";
import { loadSimBoard } from "./board.ts";
import { availableEngines } from "../engines/tools.ts";
import { ENGINES, type EngineName } from "./engines.ts";
import { DEVICE_IMAGE, SimDevice } from "./sim-device.ts";

const CODE = "20202021";
const skip = !existsSync(DEVICE_IMAGE) && "the device image is not built";
const engines = availableEngines(ENGINES);
const { board } = loadSimBoard("sim");

/** A raw TCP client: bytes in, frames out, no protocol. */
class Raw {
  private dec = new FrameDecoder();
  private frames: Frame[] = [];
  private wake: (() => void) | null = null;
  closed = false;
  private constructor(private sock: net.Socket) {
    sock.on("data", (b: Buffer) => {
      for (const f of this.dec.push(new Uint8Array(b))) this.frames.push(f);
      this.wake?.();
    });
    sock.on("close", () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static open(port: number): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => resolve(new Raw(s)));
      s.once("error", reject);
    });
  }

  write(bytes: Uint8Array | number[]): void {
    this.sock.write(Uint8Array.from(bytes));
  }

  /** The device's next frame, then (for an ERROR) the close that must follow. */
  async errorAndClose(timeoutMs = 10_000): Promise<{ code: number; detail: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.frames.length && this.closed) && Date.now() < deadline) {
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 50);
      });
    }
    assert.ok(this.frames.length, "the device answered with a frame");
    assert.ok(this.closed, "the device closed the link");
    const f = this.frames[0];
    assert.equal(f.type, FRAME.ERROR, `expected ERROR, got frame type ${f.type}`);
    return { code: f.body[0], detail: Buffer.from(f.body.subarray(1)).toString("utf8") };
  }

  destroy(): void {
    this.sock.destroy();
  }
}

const frame = (type: number, body: Uint8Array | number[], version = 1) => {
  const b = Uint8Array.from(body);
  return concatBytes(Uint8Array.of(version, type, b.length >> 8, b.length & 0xff), b);
};

async function device(engine: EngineName, dir: string, open = true): Promise<SimDevice> {
  const dev = await SimDevice.start({ engine, board, flashPath: join(dir, "flash.bin"), eraseFlash: true, setupCode: CODE, mode: "device" });
  await dev.listen();
  assert.ok(await dev.advanceUntil((a) => a.gate.state === "ready", 60_000, 100), "the gate opens");
  if (open) {
    await dev.press(200);
    const a = await dev.advance(500, 50);
    assert.equal(a.status?.state, "window-open");
  }
  dev.realtime(true);
  return dev;
}

async function withDevice(engine: EngineName, fn: (dev: SimDevice) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-frames-"));
  const dev = await device(engine, dir);
  try {
    await fn(dev);
    assert.deepEqual(dev.faults, []);
  } finally {
    await dev.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A well-formed PAIR_HELLO whose CPace share is `Ya` (the Noise message is real, so only the share is wrong). */
function helloWithShare(Ya: Uint8Array): Uint8Array {
  const sid = new Uint8Array(16).fill(7);
  const hs = new HandshakeState({ protocolName: PAIRING_PROTOCOL, initiator: true, prologue: pairingPrologue(sid, Ya), s: generateKeyPair(), e: generateKeyPair() });
  return frame(FRAME.PAIR_HELLO, concatBytes(sid, Ya, hs.writeMessage(new Uint8Array(0))));
}

for (const engine of engines) {
  test(`${engine}: malformed and oversized frames get ERROR PROTOCOL and a closed link; the window stays open`, { skip, timeout: 60_000 }, () =>
    withDevice(engine, async (dev) => {
      const cases: [string, Uint8Array][] = [
        ["PROTO_BAD_VERSION", frame(FRAME.PAIR_HELLO, new Uint8Array(96), 2)],
        ["PROTO_BAD_TYPE", frame(0x55, [])],
        ["PROTO_FRAME_TOO_LARGE", Uint8Array.of(1, FRAME.PAIR_HELLO, 0x08, 0x00)],
        ["PROTO_BAD_LENGTH", frame(FRAME.PAIR_HELLO, new Uint8Array(10))],
        ["PROTO_UNEXPECTED", frame(FRAME.PAIR_CONFIRM, new Uint8Array(64))],
      ];
      for (const [want, bytes] of cases) {
        const r = await Raw.open(dev.port);
        r.write(bytes);
        const e = await r.errorAndClose();
        assert.equal(e.code, 7, `${want}: code ${e.code} ${e.detail}`);
        assert.equal(e.detail, want);
        r.destroy();
      }
      const a = await dev.step();
      assert.equal(a.status?.state, "window-open");
      assert.equal(a.status?.failedAttempts, 0, "no valid PAIR_HELLO, no attempt counted");
    }));

  test(`${engine}: a truncated frame ends in TIMEOUT within the step limits (FIRST_FRAME_MS, 5 s, for a first frame; 60 s at most), on virtual time`, { skip, timeout: 60_000 }, () =>
    withDevice(engine, async (dev) => {
      const r = await Raw.open(dev.port);
      r.write(Uint8Array.of(1, FRAME.PAIR_HELLO, 0, 96, 1, 2, 3, 4, 5));
      await new Promise((res) => setTimeout(res, 100));
      dev.realtime(false);
      await dev.advance(FIRST_FRAME_MS - 1000, 1000);
      await new Promise((res) => setTimeout(res, 100)); // a close would have reached the socket by now
      assert.equal(r.closed, false, "still waiting before the shortest limit:\n" + dev.logs.map(([t, l]) => t + " " + l).join("\n"));
      await dev.advance(3000, 1000);
      dev.realtime(true);
      const e = await r.errorAndClose();
      assert.equal(e.code, 8, `${e.code} ${e.detail}`);
      assert.equal(e.detail, "PROTO_TIMEOUT");
      const a = await dev.step();
      assert.equal(a.status?.state, "window-open");
    }));

  test(`${engine}: a low-order or all-zero CPace share is BAD_SHARE (and counted as an attempt)`, { skip, timeout: 60_000 }, () =>
    withDevice(engine, async (dev) => {
      const one = new Uint8Array(32);
      one[0] = 1;
      for (const Ya of [new Uint8Array(32), one]) {
        const r = await Raw.open(dev.port);
        r.write(helloWithShare(Ya));
        const e = await r.errorAndClose();
        assert.equal(e.code, 4, `${e.code} ${e.detail}`);
        r.destroy();
      }
      const a = await dev.step();
      assert.equal(a.status?.state, "window-open");
      assert.equal(a.status?.failedAttempts, 2);
    }));

  test(`${engine}: replayed, reordered and tampered DATA end the session with the matching PROTO_ code`, { skip, timeout: 60_000 }, () =>
    withDevice(engine, async (dev) => {
      const me = generateKeyPair();
      const res = await pair(await connectTcp(dev.url), { code: CODE, identity: me, stepTimeoutMs: 20_000 });
      const sessionWith = async (mutate?: (body: Uint8Array) => Uint8Array) => {
        const t = await connectTcp(dev.url);
        const sent: Uint8Array[] = [];
        let mangle = mutate;
        const rec: FrameTransport = {
          send: (type, body) => {
            if (type === FRAME.DATA && mangle && sent.length > 0) {
              body = mangle(body.slice());
              mangle = undefined;
            }
            if (type === FRAME.DATA) sent.push(body.slice());
            return t.send(type, body);
          },
          receive: (ms) => t.receive(ms),
          close: () => t.close(),
          get closed() { return t.closed; },
          peer: t.peer,
        };
        const s = await openSession(rec, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: 20_000, idleTimeoutMs: 20_000 });
        return { s, t, sent };
      };
      const expectDeviceError = async (t: FrameTransport, detail: string) => {
        const f = await t.receive(10_000);
        assert.equal(f.type, FRAME.ERROR);
        assert.equal(f.body[0], 7);
        assert.equal(Buffer.from(f.body.subarray(1)).toString(), detail);
        await assert.rejects(t.receive(10_000), (e: any) => e.code === "LINK_CLOSED");
      };

      // Replay: the first DATA again, after the device has answered it.
      let x = await sessionWith();
      await x.s.echo(Uint8Array.of(1, 2, 3));
      await x.t.send(FRAME.DATA, x.sent[0]);
      await expectDeviceError(x.t, "PROTO_REPLAY");

      // Reordering: a counter that skips ahead.
      x = await sessionWith();
      await x.s.echo(Uint8Array.of(4));
      await x.t.send(FRAME.DATA, concatBytes(u64be(5), new Uint8Array(17)));
      await expectDeviceError(x.t, "PROTO_OUT_OF_ORDER");

      // Tampering: one flipped ciphertext bit in the second message.
      x = await sessionWith((b) => {
        b[b.length - 1] ^= 1;
        return b;
      });
      await x.s.echo(Uint8Array.of(5));
      await x.s.send(1, Uint8Array.of(6)).catch(() => {});
      await expectDeviceError(x.t, "PROTO_AUTH");

      // The device is still paired and serves the next honest session.
      x = await sessionWith();
      assert.deepEqual([...(await x.s.echo(Uint8Array.of(9, 9)))], [9, 9]);
      x.s.close();
      const a = await dev.step();
      assert.equal(a.status?.paired, true);
    }));
}
