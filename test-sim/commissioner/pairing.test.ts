/** commissioner/pairing.ts against a responder driven by the commissioner's own Noise and CPace. */
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { concatBytes, fromHex, toHex, u64be } from "../../commissioner/bytes.ts";
import { expectFrame } from "../../commissioner/conversation.ts";
import { DeviceError } from "../../commissioner/errors.ts";
import { FRAME, type Frame } from "../../commissioner/framing.ts";
import { generateKeyPair, HandshakeState } from "../../commissioner/noise.ts";
import { pair, pairingPrologue, PAIRING_PROTOCOL, setupCodeProblem } from "../../commissioner/pairing.ts";
import { encodeDeviceInfo } from "../../commissioner/tlv.ts";
import { connectTcp, memoryTransportPair, socketTransport, type FrameTransport } from "../../commissioner/transport.ts";
import { TestDevice } from "./test-device.ts";

const CODE = "20202021";
const fast = { stepTimeoutMs: 3000 };

const rejectsWith = (code: string) => (e: any) => {
  assert.equal(e.code, code, e.message);
  return true;
};

test("pairing: success — both sides learn each other's static key, the device gets the configuration", async () => {
  const [c, d] = memoryTransportPair();
  const dev = new TestDevice({ code: CODE, info: { firmware: "1.2.3", board: "puck-js", serial: "PK-42" } });
  const me = generateKeyPair();
  const steps: string[] = [];
  const [res, ok] = await Promise.all([
    pair(c, { code: CODE, identity: me, label: "kitchen", ...fast, onStep: (s) => steps.push(s) }),
    dev.pair(d),
  ]);
  assert.equal(ok, true);
  assert.equal(toHex(res.devicePublicKey), toHex(dev.identity.publicKey));
  assert.deepEqual(res.deviceInfo, { firmware: "1.2.3", board: "puck-js", serial: "PK-42" });
  assert.equal(toHex(dev.commissionerKey!), toHex(me.publicKey));
  assert.deepEqual(dev.config, { label: "kitchen", rekeyMessages: 1000, rekeySeconds: 600 });
  assert.deepEqual(steps, ["hello", "response", "confirm", "done"]);
  assert.equal(dev.failedAttempts, 0);
  assert.ok(c.closed);
});

test("pairing: frames delivered one byte at a time still pair", async () => {
  const chunker = (b: Uint8Array) => Array.from(b, (x) => Uint8Array.of(x));
  const [c, d] = memoryTransportPair({ chunker });
  const dev = new TestDevice({ code: "31415926" });
  const [res, ok] = await Promise.all([pair(c, { code: "31415926", identity: generateKeyPair(), ...fast }), dev.pair(d)]);
  assert.ok(ok);
  assert.equal(toHex(res.devicePublicKey), toHex(dev.identity.publicKey));
});

test("pairing: the wire sizes are those of docs/protocol.md §2 (PAIR_HELLO 96: XXpsk3 message 1 has a tag)", async () => {
  const [c, mid] = memoryTransportPair();
  const [m2, d] = memoryTransportPair();
  const seen: Frame[] = [];
  const relay = relayFrames(mid, m2, (f) => (seen.push(f), f));
  const dev = new TestDevice({ code: CODE, info: { board: "b" } });
  await Promise.all([pair(c, { code: CODE, identity: generateKeyPair(), label: "x", ...fast }), dev.pair(d), relay]);
  const sizes = seen.map((f) => [f.type, f.body.length]);
  const info = encodeDeviceInfo({ board: "b" }).length;
  assert.deepEqual(sizes[0], [FRAME.PAIR_HELLO, 96]);
  assert.deepEqual(sizes[1], [FRAME.PAIR_RESPONSE, 32 + 96 + info]);
  assert.equal(sizes[2][0], FRAME.PAIR_CONFIRM);
  assert.deepEqual(sizes[3], [FRAME.PAIR_DONE, 8 + 4 + 16]);
});

test("pairing: a wrong setup code is PAIRING_FAILED with the attempts left, and stays counted", async () => {
  const [c, d] = memoryTransportPair();
  const dev = new TestDevice({ code: CODE, failedAttempts: 3 });
  const [r, ok] = await Promise.all([
    pair(c, { code: "20202022", identity: generateKeyPair(), ...fast }).catch((e) => e),
    dev.pair(d),
  ]);
  assert.equal(ok, false);
  assert.ok(r instanceof DeviceError);
  assert.equal(r.code, "PAIRING_FAILED");
  assert.equal(r.attemptsLeft, 16);
  assert.equal(dev.failedAttempts, 4);
  assert.equal(dev.commissionerKey, null);
});

test("pairing: a tampered PAIR_CONFIRM (one bit) fails at the device", async () => {
  for (const bit of [0, 8 * 40 + 3, -1]) {
    const [c, mid] = memoryTransportPair();
    const [m2, d] = memoryTransportPair();
    const relay = relayFrames(mid, m2, (f) => {
      if (f.type !== FRAME.PAIR_CONFIRM) return f;
      const b = f.body.slice();
      const i = bit < 0 ? b.length * 8 - 1 : bit;
      b[i >> 3] ^= 1 << (i & 7);
      return { type: f.type, body: b };
    });
    const dev = new TestDevice({ code: CODE });
    const [r, ok] = await Promise.all([pair(c, { code: CODE, identity: generateKeyPair(), ...fast }).catch((e) => e), dev.pair(d), relay]);
    assert.equal(ok, false);
    assert.equal(r.code, "PAIRING_FAILED", "bit " + bit);
    assert.equal(dev.commissionerKey, null);
  }
});

test("pairing: a man in the middle with its own Noise keys, relaying the CPace shares, is caught", async () => {
  // C ⇄ M ⇄ D. M does not know the code: it relays sid/Ya/Yb and runs Noise with its own keys both ways.
  const [c, mFromC] = memoryTransportPair();
  const [mToD, d] = memoryTransportPair();
  const dev = new TestDevice({ code: CODE });
  const mitmKey = generateKeyPair();
  let mitmReadConfirm = "not tried";
  const mitm = (async () => {
    const hello = await expectFrame(mFromC, FRAME.PAIR_HELLO, 3000);
    const sid = hello.subarray(0, 16);
    const Ya = hello.subarray(16, 48);
    // Toward D: the same sid and Ya with M's own ephemeral.
    const hsD = new HandshakeState({ protocolName: PAIRING_PROTOCOL, initiator: true, prologue: pairingPrologue(sid, Ya), s: mitmKey });
    await mToD.send(FRAME.PAIR_HELLO, concatBytes(sid, Ya, hsD.writeMessage(new Uint8Array(0))));
    const resp = await expectFrame(mToD, FRAME.PAIR_RESPONSE, 3000);
    const Yb = resp.subarray(0, 32);
    // Toward C: D's Yb with M's own Noise message 2 (this part needs no PSK).
    const hsC = new HandshakeState({ protocolName: PAIRING_PROTOCOL, initiator: false, prologue: pairingPrologue(sid, Ya), s: mitmKey, psks: [new Uint8Array(32)] });
    hsC.readMessage(hello.subarray(48));
    await mFromC.send(FRAME.PAIR_RESPONSE, concatBytes(Yb, hsC.writeMessage(encodeDeviceInfo({ board: "evil" }))));
    const confirm = await expectFrame(mFromC, FRAME.PAIR_CONFIRM, 3000);
    try {
      hsC.readMessage(confirm);
      mitmReadConfirm = "read";
    } catch (e: any) {
      mitmReadConfirm = e.code;
    }
    // Forward C's confirm to D unchanged (it is bound to C's transcript, not M's), and forge a PAIR_DONE for C.
    await mToD.send(FRAME.PAIR_CONFIRM, confirm);
    await mFromC.send(FRAME.PAIR_DONE, concatBytes(u64be(0), new Uint8Array(20)));
    await new Promise((r) => setTimeout(r, 50));
    mFromC.close();
    mToD.close();
  })();
  const [r, ok] = await Promise.all([pair(c, { code: CODE, identity: generateKeyPair(), ...fast }).catch((e) => e), dev.pair(d), mitm]);
  assert.equal(mitmReadConfirm, "PROTO_AUTH", "without the code M cannot read PAIR_CONFIRM");
  assert.equal(r.code, "PROTO_AUTH", "C rejects the forged PAIR_DONE");
  assert.equal(ok, false);
  assert.equal(dev.commissionerKey, null, "D paired with nobody");
});

test("pairing: a low-order Yb from the device is BAD_SHARE, and C tells the device", async () => {
  for (const u of ["0000000000000000000000000000000000000000000000000000000000000000", "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"]) {
    const [c, d] = memoryTransportPair();
    const dev = new TestDevice({ code: CODE, ybOverride: fromHex(u) });
    const devSide = (async () => {
      await dev.pair(d).catch(() => false);
    })();
    const [r] = await Promise.all([pair(c, { code: CODE, identity: generateKeyPair(), ...fast }).catch((e) => e), devSide]);
    assert.equal(r.code, "BAD_SHARE");
    assert.equal(dev.lastError, "BAD_SHARE", "the device received ERROR BAD_SHARE");
  }
});

test("pairing: a low-order Ya makes the device abort with BAD_SHARE", async () => {
  const [c, d] = memoryTransportPair();
  const dev = new TestDevice({ code: CODE });
  const devSide = dev.pair(d);
  const sid = new Uint8Array(16).fill(7);
  const Ya = fromHex("0100000000000000000000000000000000000000000000000000000000000000");
  const hs = new HandshakeState({ protocolName: PAIRING_PROTOCOL, initiator: true, prologue: pairingPrologue(sid, Ya), s: generateKeyPair() });
  await c.send(FRAME.PAIR_HELLO, concatBytes(sid, Ya, hs.writeMessage(new Uint8Array(0))));
  const r = await expectFrame(c, FRAME.PAIR_RESPONSE, 3000).catch((e) => e);
  assert.ok(r instanceof DeviceError);
  assert.equal(r.code, "BAD_SHARE");
  assert.equal(await devSide, false);
  assert.equal(dev.failedAttempts, 1, "the attempt stays counted");
});

test("pairing: window closed and locked devices are reported as such", async () => {
  for (const [opts, code] of [[{ windowOpen: false }, "WINDOW_CLOSED"], [{ failedAttempts: 20 }, "LOCKED"]] as const) {
    const [c, d] = memoryTransportPair();
    const dev = new TestDevice({ code: CODE, ...opts });
    const [r] = await Promise.all([pair(c, { code: CODE, identity: generateKeyPair(), ...fast }).catch((e) => e), dev.pair(d)]);
    assert.ok(r instanceof DeviceError);
    assert.equal(r.code, code);
    assert.match(r.message, code === "LOCKED" ? /factory reset/ : /window/);
  }
});

test("pairing: a silent device is PROTO_TIMEOUT, and C sends ERROR TIMEOUT", async () => {
  const [c, d] = memoryTransportPair();
  const got: Frame[] = [];
  const sink = (async () => {
    for (;;) got.push(await d.receive(2000));
  })().catch(() => {});
  await assert.rejects(pair(c, { code: CODE, identity: generateKeyPair(), stepTimeoutMs: 100 }), rejectsWith("PROTO_TIMEOUT"));
  await sink;
  assert.deepEqual(got.map((f) => f.type), [FRAME.PAIR_HELLO, FRAME.ERROR]);
  assert.equal(got[1].body[0], 8);
});

test("pairing: an unexpected frame type is PROTO_UNEXPECTED, reported to the device with its code", async () => {
  const [c, d] = memoryTransportPair();
  const dev = (async () => {
    await d.receive(2000);
    await d.send(FRAME.REKEY, new Uint8Array(24));
    return await d.receive(2000);
  })();
  await assert.rejects(pair(c, { code: CODE, identity: generateKeyPair(), ...fast }), rejectsWith("PROTO_UNEXPECTED"));
  const err = await dev;
  assert.equal(err.type, FRAME.ERROR);
  assert.equal(err.body[0], 7);
  assert.equal(new TextDecoder().decode(err.body.subarray(1)), "PROTO_UNEXPECTED");
});

test("pairing: a PAIR_DONE with a status other than paired is refused", async () => {
  const [c, d] = memoryTransportPair();
  const dev = new TestDevice({ code: CODE, doneStatus: 1 });
  const [r] = await Promise.all([pair(c, { code: CODE, identity: generateKeyPair(), ...fast }).catch((e) => e), dev.pair(d)]);
  assert.equal(r.code, "PAIRING_REJECTED");
});

test("pairing: setup code format rules (8 digits, no trivial codes)", async () => {
  for (const bad of ["1234567", "123456789", "abcdefgh", "1234 5678", "", "00000000", "11111111", "99999999", "12345678", "87654321", "２０２０２０２１"]) {
    assert.ok(setupCodeProblem(bad), bad);
  }
  for (const good of ["20202021", "00000001", "99999998", "12345679"]) assert.equal(setupCodeProblem(good), null, good);
  const [c] = memoryTransportPair();
  await assert.rejects(pair(c, { code: "12345678", identity: generateKeyPair() }), rejectsWith("BAD_CODE"));
});

test("pairing: over TCP, and a refused connection is LINK_REFUSED", async () => {
  const dev = new TestDevice({ code: CODE });
  let devResult: Promise<boolean> = Promise.resolve(false);
  const server = net.createServer((sock) => (devResult = dev.pair(socketTransport(sock, "commissioner"))));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  const t = await connectTcp("tcp://127.0.0.1:" + port);
  const res = await pair(t, { code: CODE, identity: generateKeyPair(), ...fast });
  assert.equal(await devResult, true);
  assert.equal(toHex(res.devicePublicKey), toHex(dev.identity.publicKey));
  server.close();
  await new Promise((r) => server.once("close", r));
  await assert.rejects(connectTcp("tcp://127.0.0.1:" + port), rejectsWith("LINK_REFUSED"));
  await assert.rejects(connectTcp("http://127.0.0.1:80"), rejectsWith("LINK_BAD_ADDRESS"));
});

/** Relays frames between two transports until either side closes, passing each through `edit`. */
async function relayFrames(a: FrameTransport, b: FrameTransport, edit: (f: Frame) => Frame): Promise<void> {
  const pump = async (from: FrameTransport, to: FrameTransport) => {
    try {
      for (;;) {
        const f = edit(await from.receive(5000));
        await to.send(f.type, f.body);
      }
    } catch {
      from.close();
      to.close();
    }
  };
  await Promise.all([pump(a, b), pump(b, a)]);
}

test("pairing: device info with terminal control characters is refused before anything shows it (PAIR_RESPONSE is not yet bound to the setup code)", async () => {
  // Anyone who answers at the device's address gets this far without the code: its info must not
  // reach the operator's terminal (escape sequences rewrite the screen, the title, the clipboard).
  for (const info of [
    { board: "sim\x1b[2J\x1b[H← PAIR_DONE  paired" },
    { firmware: "0.1.0\x1b]52;c;ZWNobyBwd25lZA==\x07" },
    { serial: "SN\r\nrecorded in registry" },
    { board: "sim\u009b2J" }, // C1 CSI
    { serial: "SN\x7f" },
  ]) {
    const [c, d] = memoryTransportPair();
    const dev = new TestDevice({ code: CODE, info });
    const shown: unknown[] = [];
    const [r] = await Promise.all([
      pair(c, { code: "20202022", identity: generateKeyPair(), ...fast, onStep: (s, detail) => shown.push([s, detail?.deviceInfo]) }).catch((e) => e),
      dev.pair(d),
    ]);
    assert.equal(r.code, "PROTO_BAD_PAYLOAD", JSON.stringify(info) + ": " + r.message);
    assert.match(r.message, /control character/);
    assert.ok(!shown.some((x) => (x as unknown[])[0] === "response"), "the response step never saw it");
  }
});
