/** What the NodeMCU drivers do beyond the HAL contracts: the area file, the radio check, polarity, send pacing, boot refusals. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { nodemcuFileFlash } from "../../../hal/nodemcu/flash.ts";
import { nodemcuTrng } from "../../../hal/nodemcu/trng.ts";
import { nodemcuLed } from "../../../hal/nodemcu/led.ts";
import { nodemcuLinkServer, SEND_CHUNK } from "../../../hal/nodemcu/link.ts";
import { nodemcuClock } from "../../../hal/nodemcu/clock.ts";
import { nodemcuPin } from "../../../hal/nodemcu/board.ts";
import { bootNodeMcuBoard } from "../../../hal/nodemcu/boot.ts";
import { loadBoard } from "../../../build/boards.ts";
import type { Link } from "../../../hal/link.ts";
import type { HalError } from "../../../hal/errors.ts";
import { mockNodeMcu } from "../nodemcu-mock.ts";

const AREA = { pageSize: 4096, pageCount: 8, writeSize: 4 };

test("area file: made erased at first use, byte k of the file is byte k of the area", () => {
  const m = mockNodeMcu();
  const f = nodemcuFileFlash(m.env.file, "firstlight.nor", AREA);
  const s = m.files.get("firstlight.nor")!;
  assert.equal(s.length, 32768);
  assert.ok([...s].every((c) => c.charCodeAt(0) === 255));
  assert.equal(m.files.has("firstlight.nor.new"), false);
  assert.equal(f.program(4096 + 8, Uint8Array.of(0x12, 0x34, 0x56, 0x78)), null);
  const t = m.files.get("firstlight.nor")!;
  assert.deepEqual([4104, 4105, 4106, 4107].map((i) => t.charCodeAt(i)), [0x12, 0x34, 0x56, 0x78]);
  assert.equal(m.openFiles(), 0, "every call closes its file");
});

test("area file: an existing one is kept across boots; one of another size is refused, untouched", () => {
  const m = mockNodeMcu();
  nodemcuFileFlash(m.env.file, "firstlight.nor", AREA).program(0, Uint8Array.of(0, 0, 0, 0));
  const again = nodemcuFileFlash(m.env.file, "firstlight.nor", AREA);
  assert.deepEqual(again.read(0, 4), Uint8Array.of(0, 0, 0, 0));
  m.files.set("firstlight.nor", "x".repeat(1000));
  assert.throws(() => nodemcuFileFlash(m.env.file, "firstlight.nor", AREA), /firstlight\.nor is 1000 bytes, not 32768: refusing to touch it/);
  assert.equal(m.files.get("firstlight.nor"), "x".repeat(1000));
});

test("area file: a creation cut short (a .new left behind) is redone; a failing file system is FAIL", () => {
  const m = mockNodeMcu();
  m.files.set("firstlight.nor.new", "\xff".repeat(100));
  const f = nodemcuFileFlash(m.env.file, "firstlight.nor", AREA);
  assert.equal(m.files.get("firstlight.nor")!.length, 32768);
  assert.equal(m.files.has("firstlight.nor.new"), false);
  m.failWrites();
  assert.equal<HalError | null>(f.program(0, Uint8Array.of(1, 2, 3, 4)), "FAIL");
  assert.equal<HalError | null>(f.erase(1), "FAIL");
  assert.equal(m.openFiles(), 0);
});

test("TRNG: OFF without reading while the radio is off (wifi NULLMODE); bytes once it is on", () => {
  const m = mockNodeMcu();
  const clock = nodemcuClock(m.env.tmr);
  let reads = 0;
  const rnd = m.env.node.random;
  (m.env.node as { random: (l: number, u: number) => number }).random = (l, u) => { reads++; return rnd(l, u); };
  const trng = nodemcuTrng(m.env.node, m.env.wifi, (fn) => clock.after(0, fn));
  (m.env.wifi as unknown as { mode: number }).mode = 0;
  const got: (HalError | null)[] = [];
  trng.read(16, (e) => got.push(e));
  m.advance(5);
  assert.deepEqual(got, ["OFF"]);
  assert.equal(reads, 0);
  (m.env.wifi as unknown as { mode: number }).mode = 1;
  let bytes: Uint8Array | undefined;
  trng.read(200, (e, b) => { got.push(e); bytes = b; });
  m.advance(5);
  assert.deepEqual(got, ["OFF", null]);
  assert.equal(bytes!.length, 200);
  assert.equal(reads, 200, "one node.random(0, 255) per byte");
});

test("LED: polarity from the board file, off at start", () => {
  const m = mockNodeMcu();
  const led = nodemcuLed(m.env.gpio, 4, true);
  assert.equal(m.pinLevel(4), 1);
  led.set(true);
  assert.equal(m.pinLevel(4), 0);
  const hi = nodemcuLed(m.env.gpio, 5, false);
  hi.set(true);
  assert.equal(m.pinLevel(5), 1);
});

test("link: a long send goes out in SEND_CHUNK pieces, one per \"sent\"; close waits for the queue", () => {
  const m = mockNodeMcu();
  let dev: Link | null = null;
  nodemcuLinkServer(m.env.net, 5555).start((l) => { dev = l; });
  const com = m.connect(5555);
  const chunks: number[] = [];
  let closed = 0;
  com.onReceive((c) => chunks.push(c.length));
  com.onClose(() => closed++);
  const big = new Uint8Array(SEND_CHUNK * 2 + 10).fill(7);
  assert.equal(dev!.send(big), null);
  dev!.close();
  m.settle();
  assert.deepEqual(chunks, [SEND_CHUNK, SEND_CHUNK, 10]);
  assert.equal(closed, 1);
  assert.throws(() => nodemcuLinkServer(m.env.net, 70000), /TCP port must be 1…65535/);
});

test("pins: NodeMCU indices only", () => {
  assert.equal(nodemcuPin("3"), 3);
  assert.throws(() => nodemcuPin("D3"), /NodeMCU pin index 0…12 expected, got D3/);
  assert.throws(() => nodemcuPin("13"), /got 13/);
});

test("boot: bad owner options and a foreign area file are refused with the reason, nothing started", () => {
  const board = loadBoard("nodemcu-esp8266");
  const m = mockNodeMcu();
  const a = bootNodeMcuBoard(board, { setupCode: "11111111" }, m.env);
  assert.match(a.problem!, /refused at manufacturing/);
  const b = bootNodeMcuBoard(board, { setupCode: "31415926", port: 0 }, m.env);
  assert.equal(b.problem, "port must be 1…65535");
  m.files.set("firstlight.nor", "short");
  const c = bootNodeMcuBoard(board, { setupCode: "31415926" }, m.env);
  assert.match(c.problem!, /the area file firstlight\.nor is 5 bytes/);
  const n = mockNodeMcu();
  delete (n.env.node as { random?: unknown }).random;
  const d = bootNodeMcuBoard(board, { setupCode: "31415926" }, n.env);
  assert.equal(d.problem, "trng: this NodeMCU has no node.random (the ESP32 branch has none)");
  assert.ok(m.printed.some((l) => /^firstlight: not started: /.test(l)));
});

test("boot: first boot makes the root page from the entropy gate, then the device starts unpaired", () => {
  const board = loadBoard("nodemcu-esp8266");
  const m = mockNodeMcu();
  const api = bootNodeMcuBoard(board, { setupCode: "31415926" }, m.env);
  assert.equal(api.problem, null);
  for (let i = 0; i < 120 && !m.printed.some((l) => /device started/.test(l)); i++) m.advance(500);
  assert.ok(m.printed.some((l) => /device root generated and kept in the root page/.test(l)), m.printed.join("\n"));
  assert.ok(m.printed.some((l) => /device started: unpaired/.test(l)), m.printed.join("\n"));
  assert.equal(api.status()!.paired, false);
  api.stop();
});
