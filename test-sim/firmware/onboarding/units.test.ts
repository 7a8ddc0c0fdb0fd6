/** Unit tests of the onboarding pieces: frame decoder, TLV, button classifier, window, LED, credentials. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createFrameDecoder, encodeFrame, encodeErrorBody, readU64be, u64be, DATA, ERROR, PAIR_HELLO, REKEY } from "../../../firmware/onboarding/frames.ts";
import { decodeConfiguration, decodeTlv, encodeDeviceInfo, encodeTlv } from "../../../firmware/onboarding/tlv.ts";
import { encodeConfiguration as hostConfig, decodeDeviceInfo as hostInfo } from "../../../commissioner/tlv.ts";
import { encodeFrame as hostFrame, FrameDecoder as HostDecoder } from "../../../commissioner/framing.ts";
import { watchPresses, DEBOUNCE_MS, LONG_PRESS_MS } from "../../../firmware/onboarding/button.ts";
import { createWindow, checkWindowMs } from "../../../firmware/onboarding/window.ts";
import { createLedPattern } from "../../../firmware/onboarding/led.ts";
import { credentialsOn, MAX_FAILED_ATTEMPTS } from "../../../firmware/onboarding/credentials.ts";
import { SimClock } from "../../../hal/sim/clock.ts";
import { SimButton } from "../../../hal/sim/button.ts";
import { SimLed } from "../../../hal/sim/led.ts";
import { memoryStore } from "./harness.ts";

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return "none";
};

test("frames: the decoder reassembles any chunking of a frame stream into the frames the commissioner encoded", () => {
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.constantFrom(DATA, REKEY, ERROR), fc.integer({ min: 0, max: 200 })), { minLength: 1, maxLength: 6 }),
    fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
    (specs, cuts) => {
      const frames = specs.map(([type, n]) => ({ type, body: new Uint8Array(type === REKEY ? 24 : type === ERROR ? 1 + (n % 64) : 24 + n).map((_, i) => i * 7 + n) }));
      const bytes = Buffer.concat(frames.map((f) => hostFrame(f.type, f.body)));
      const d = createFrameDecoder();
      const out: { type: number; body: Uint8Array }[] = [];
      let off = 0, k = 0;
      while (off < bytes.length) {
        const n = cuts[k++ % cuts.length];
        out.push(...d.push(new Uint8Array(bytes.subarray(off, off + n))));
        off += n;
      }
      assert.deepEqual(out.map((f) => [f.type, Buffer.from(f.body).toString("hex")]), frames.map((f) => [f.type, Buffer.from(f.body).toString("hex")]));
      assert.equal(d.partial(), false);
    }), { numRuns: 200 });
});

test("frames: every header error is found at its byte, before any body is buffered, and the decoder stays failed", () => {
  const d = createFrameDecoder();
  assert.deepEqual(d.push(Uint8Array.of(1, DATA)), []);
  assert.equal(d.partial(), true);
  assert.equal(codeOf(() => d.push(Uint8Array.of(0xff, 0xff))), "PROTO_FRAME_TOO_LARGE");
  assert.equal(codeOf(() => d.push(Uint8Array.of(1))), "PROTO_FRAME_TOO_LARGE");
  assert.equal(codeOf(() => createFrameDecoder().push(Uint8Array.of(0))), "PROTO_BAD_VERSION");
  assert.equal(codeOf(() => createFrameDecoder().push(Uint8Array.of(1, 0x30))), "PROTO_BAD_TYPE");
  assert.equal(codeOf(() => createFrameDecoder().push(Uint8Array.of(1, PAIR_HELLO, 0, 95))), "PROTO_BAD_LENGTH");
  assert.equal(codeOf(() => createFrameDecoder().push(Uint8Array.of(1, REKEY, 0, 25))), "PROTO_BAD_LENGTH");
  assert.equal(codeOf(() => encodeFrame(0x33, new Uint8Array(1))), "PROTO_BAD_TYPE");
  assert.equal(codeOf(() => encodeFrame(DATA, new Uint8Array(1025))), "PROTO_BAD_LENGTH");
});

test("frames: the device's encoder and the commissioner's decoder agree; ERROR details are cut at 64 ASCII bytes", () => {
  const body = encodeErrorBody(7, "PROTO_REPLAY" + "x".repeat(80) + "é");
  assert.equal(body.length, 65);
  const f = new HostDecoder().push(encodeFrame(ERROR, body));
  assert.equal(f[0].type, ERROR);
  assert.equal(Buffer.from(f[0].body.subarray(1, 13)).toString(), "PROTO_REPLAY");
  assert.equal(encodeErrorBody(3, "1\u0001")[2], 0x3f);
});

test("u64 counters round-trip below 2^53", () => {
  for (const n of [0, 1, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, 2 ** 53 - 1]) assert.equal(readU64be(u64be(n), 0), n);
  assert.ok(readU64be(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0) > 2 ** 53);
});

test("TLV: configuration from the commissioner decodes; device info decodes on the commissioner; bad payloads are PROTO_BAD_PAYLOAD", () => {
  assert.deepEqual(decodeConfiguration(hostConfig({ label: "kitchen ✓", rekeyMessages: 1000, rekeySeconds: 4294967295 })), { label: "kitchen ✓", rekeyMessages: 1000, rekeySeconds: 4294967295 });
  assert.deepEqual(decodeConfiguration(new Uint8Array(0)), {});
  assert.deepEqual(hostInfo(encodeDeviceInfo({ firmware: "0.1.0", board: "sim", serial: "S-1" })), { firmware: "0.1.0", board: "sim", serial: "S-1" });
  // Unknown tags are skipped.
  const withUnknown = encodeTlv([{ tag: 0x99, value: Uint8Array.of(1, 2, 3) }, { tag: 0x11, value: Uint8Array.of(0, 0, 0, 5) }]);
  assert.deepEqual(decodeConfiguration(withUnknown), { rekeyMessages: 5 });
  const bad: [string, Uint8Array][] = [
    ["truncated header", Uint8Array.of(0x10, 0)],
    ["truncated value", Uint8Array.of(0x10, 0, 5, 65)],
    ["u32 of 3 bytes", Uint8Array.of(0x11, 0, 3, 0, 0, 1)],
    ["label of 33 bytes", encodeTlv([{ tag: 0x10, value: new Uint8Array(33).fill(65) }])],
    ["label not UTF-8", Uint8Array.of(0x10, 0, 1, 0xff)],
    ["tag twice", Uint8Array.of(0x10, 0, 1, 65, 0x10, 0, 1, 66)],
    ["rekey 0", Uint8Array.of(0x12, 0, 4, 0, 0, 0, 0)],
  ];
  for (const [name, p] of bad) assert.equal(codeOf(() => decodeConfiguration(p)), "PROTO_BAD_PAYLOAD", name);
  assert.equal(decodeTlv(Uint8Array.of(1, 0, 0)).length, 1);
});

function presses() {
  const clock = new SimClock();
  const button = new SimButton(clock);
  const events: string[] = [];
  const det = watchPresses(button, clock, { short: (ms) => events.push("short " + ms), long: () => events.push("long@" + clock.now()) });
  return { clock, button, events, det };
}

test("button: bounce is filtered, a short press is timed from the first edge, a long press fires at 10 s while held", () => {
  const p = presses();
  p.button.press(400, { bounceEdges: 10, bounceMs: 20 });
  p.clock.advance(1000);
  assert.deepEqual(p.events, ["short 400"]);
  p.events.length = 0;
  p.button.press(LONG_PRESS_MS + 5000, { bounceEdges: 4 });
  p.clock.advance(LONG_PRESS_MS - 1);
  assert.deepEqual(p.events, []);
  p.clock.advance(2);
  assert.equal(p.events.length, 1);
  assert.ok(/^long@/.test(String(p.events[0])));
  p.clock.advance(10000); // the release after a long press is no short press
  assert.equal(p.events.length, 1);
});

test("button: a glitch shorter than the debounce time is nothing; stop() stops", () => {
  const p = presses();
  p.button.setLevel(true);
  p.clock.advance(DEBOUNCE_MS - 5);
  p.button.setLevel(false);
  p.clock.advance(500);
  assert.deepEqual(p.events, []);
  p.det.stop();
  p.button.press(200);
  p.clock.advance(1000);
  assert.deepEqual(p.events, []);
});

test("window: opens for its duration, re-opens on a new press, closes with a reason; bounds 3 … 15 min", () => {
  const clock = new SimClock();
  const changes: string[] = [];
  const w = createWindow(clock, 180000, (open, why) => changes.push((open ? "open " : "closed ") + why));
  w.open();
  clock.advance(100000);
  assert.equal(w.remainingMs(), 80000);
  w.open();
  clock.advance(179999);
  assert.equal(w.isOpen(), true);
  clock.advance(1);
  assert.equal(w.isOpen(), false);
  w.open();
  w.close("success");
  w.close("again");
  assert.deepEqual(changes, ["open opened", "open extended", "closed timeout", "open opened", "closed success"]);
  assert.equal(checkWindowMs(undefined), 180000);
  assert.equal(codeOf(() => checkWindowMs(179999)), "DEVICE_BAD_OPTION");
  assert.equal(codeOf(() => checkWindowMs(1.5e6)), "DEVICE_BAD_OPTION");
});

test("LED: slow blink for the window, fast for an attempt, 2 s on for success then off", () => {
  const clock = new SimClock();
  const led = new SimLed(clock);
  const p = createLedPattern(led, clock);
  p.show("window");
  clock.advance(2999);
  assert.deepEqual(led.history().map((c) => c.timeMs), [0, 500, 1000, 1500, 2000, 2500]);
  led.clearHistory();
  p.show("attempt");
  clock.advance(1000);
  assert.equal(led.history().length, 11); // on at once, then a change every 100 ms
  p.show("success");
  assert.equal(led.isOn(), true);
  clock.advance(1999);
  assert.equal(led.isOn(), true);
  clock.advance(1);
  assert.equal(led.isOn(), false);
  assert.equal(p.current(), "off");
  assert.equal(clock.pending(), 0);
});

test("credentials: the counter persists and saturates at 20; an unreadable counter counts as locked; pairing is one record", () => {
  const store = memoryStore();
  const c = credentialsOn(store);
  assert.equal(c.failedAttempts(), 0);
  for (let i = 1; i <= 22; i++) assert.equal(c.countFailure(), Math.min(i, MAX_FAILED_ATTEMPTS));
  assert.equal(credentialsOn(store).failedAttempts(), 20);
  c.resetFailures();
  assert.equal(credentialsOn(store).failedAttempts(), 0);
  store.put("fails", Uint8Array.of(1, 2));
  assert.equal(credentialsOn(store).failedAttempts(), 20);
  store.put("fails", Uint8Array.of(200));
  assert.equal(credentialsOn(store).failedAttempts(), 20);
  assert.equal(c.pairing(), null);
  c.savePairing(new Uint8Array(32).fill(9), hostConfig({ label: "x" }));
  assert.deepEqual(credentialsOn(store).pairing(), { peer: new Uint8Array(32).fill(9), config: { label: "x" } });
  assert.deepEqual([...store.data.keys()].sort(), ["fails", "pair"]);
  c.shred();
  assert.equal(c.failedAttempts(), 0);
  assert.equal(c.pairing(), null);
});
