/** The firmware device (TS sources on the sim HAL, real store on SimFlash) against the real commissioner: pairing. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { toHex } from "../../../commissioner/bytes.ts";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { DeviceError } from "../../../commissioner/errors.ts";
import { boot, connect, ready, reboot, shortPress, CODE } from "./harness.ts";

const fast = { stepTimeoutMs: 3000 };

test("pairing: success — keys exchanged, configuration stored, window closed, counter reset", async () => {
  const w = ready(boot());
  const wire = connect(w);
  const me = generateKeyPair();
  const res = await pair(wire.t, { code: CODE, identity: me, label: "kitchen", ...fast });
  assert.equal(w.device.state(), "paired");
  assert.equal(toHex(res.devicePublicKey), toHex(w.device.identityPublicKey()!));
  assert.deepEqual(res.deviceInfo, { firmware: "0.1.0", board: "sim" });
  assert.equal(w.device.status().failedAttempts, 0);
  assert.equal(w.device.status().windowRemainingMs, 0);
  assert.ok(w.logs.some((l) => l.includes("paired")), w.logs.join("\n"));
});
