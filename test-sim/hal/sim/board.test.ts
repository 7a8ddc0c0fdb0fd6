import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../../../hal/sim/clock.ts";
import { SimFlash } from "../../../hal/sim/flash.ts";
import { createSimHal } from "../../../hal/sim/board.ts";
import { createLinkPair } from "../../../hal/sim/link.ts";
import { defaultSimSecret, simDeviceSecret } from "../../../hal/sim/device-secret.ts";
import { loadBoard } from "../../../build/boards.ts";
import type { Trng } from "../../../hal/trng.ts";

const trng: Trng = { read: (n, done) => done(null, new Uint8Array(n)) };

test("createSimHal assembles the sim board; links wait for onLink; reboot is counted", () => {
  const board = loadBoard("sim");
  const clock = new SimClock();
  const flash = new SimFlash({ pageSize: board.flash.pageSize, pageCount: board.flash.pageCount, writeSize: board.flash.writeSize });
  const hal = createSimHal({ board, clock, trng, flash, secret: defaultSimSecret() });
  assert.equal(hal.board.name, "sim");
  assert.ok(hal.led);
  const [dev] = createLinkPair();
  hal.connect(dev);
  const got: unknown[] = [];
  hal.onLink((l) => got.push(l));
  assert.deepEqual(got, [dev]);
  let rebooted = 0;
  hal.onReboot(() => rebooted++);
  hal.reboot();
  assert.equal(rebooted, 1);
  assert.equal(hal.reboots(), 1);
});

test("the sim secret: 32 bytes, a fresh copy each read, or none", () => {
  const s = simDeviceSecret(defaultSimSecret())!;
  const a = s.read();
  a.fill(0);
  assert.equal(Buffer.from(s.read()).toString(), "SIM DEVICE SECRET - not secret!!");
  assert.equal(simDeviceSecret(null), null);
  assert.throws(() => simDeviceSecret(new Uint8Array(31)));
});
