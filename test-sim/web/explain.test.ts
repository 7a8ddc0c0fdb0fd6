/**
 * What the web commissioner tells a person (web/ui/explain.ts) for each failure the issue names
 * (wrong code with attempts left, window closed, locked, busy entropy) and the others, and how it
 * reads the setup code field (web/ui/code-input.ts: digits as printed, or the label's payload).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CommissionerError, DeviceError, ERROR_CODE } from "../../commissioner/errors.ts";
import { encodeSetupPayload } from "../../commissioner/setup-payload.ts";
import { readCodeOrPayload } from "../../web/ui/code-input.ts";
import { explain } from "../../web/ui/explain.ts";

test("device errors: attempts left, window closed, locked, busy entropy, busy, auth", () => {
  assert.equal(explain(new DeviceError(ERROR_CODE.PAIRING_FAILED, "19")).title, "Wrong setup code: 19 attempts left before the device locks");
  assert.equal(explain(new DeviceError(ERROR_CODE.PAIRING_FAILED, "1")).title, "Wrong setup code: 1 attempt left before the device locks");
  assert.equal(explain(new DeviceError(ERROR_CODE.PAIRING_FAILED, "")).title, "Wrong setup code");
  assert.match(explain(new DeviceError(ERROR_CODE.WINDOW_CLOSED, "")).title, /window is closed: press its button/);
  assert.match(explain(new DeviceError(ERROR_CODE.LOCKED, "")).title, /locked .* factory-reset it \(hold its button 10 s\)/);
  assert.match(explain(new DeviceError(ERROR_CODE.BUSY, "ENTROPY_NOT_READY")).title, /still gathering entropy/);
  assert.match(explain(new DeviceError(ERROR_CODE.BUSY, "STORE_SEED_DERIVED")).title, /entropy gate opens/);
  assert.match(explain(new DeviceError(ERROR_CODE.BUSY, "")).title, /busy with another conversation/);
  assert.match(explain(new DeviceError(ERROR_CODE.AUTH_FAILED, "")).title, /does not know this browser's key/);
  const x = explain(new DeviceError(ERROR_CODE.PAIRING_FAILED, "3"));
  assert.equal(x.code, "PAIRING_FAILED");
  assert.match(x.detail, /attempts left: 3/);
});

test("link, protocol and records errors keep their code and sentence", () => {
  for (const [code, title] of [["LINK_REFUSED", /could not be reached/], ["LINK_CLOSED", /link .* closed/], ["PROTO_BAD_VERSION", /not a firstlight device/], ["DEVICE_ROLLBACK", /flash went backwards/], ["NO_SUPPORT", /cannot do that/], ["PROTO_REPLAY", /broke off: PROTO_REPLAY/]] as const) {
    const x = explain(new CommissionerError(code, "why"));
    assert.match(x.title, title, code);
    assert.equal(x.code, code);
    assert.equal(x.detail, "why");
  }
  assert.deepEqual(explain(new Error("odd")), { code: "", detail: "odd", title: "Failed" });
});

test("the setup code field: digits as printed, or the label's FL:1 payload; anything else refused with its reason", () => {
  assert.deepEqual(readCodeOrPayload(" 2020-2021 "), { code: "20202021" });
  const payload = encodeSetupPayload({ version: 1, code: "20202021", discriminator: 1234 });
  assert.deepEqual(readCodeOrPayload(payload), { code: "20202021", discriminator: 1234 });
  assert.deepEqual(readCodeOrPayload(payload.toLowerCase()), { code: "20202021", discriminator: 1234 });
  for (const bad of ["1111-1111", "2020202", "", payload.slice(0, -1) + (payload.endsWith("0") ? "1" : "0")]) {
    let code = "";
    try {
      readCodeOrPayload(bad);
    } catch (e) {
      code = (e as { code: string }).code;
    }
    assert.ok(["BAD_CODE", "BAD_CHECK"].includes(code), `${JSON.stringify(bad)}: ${code}`);
    assert.match(explain(Object.assign(new Error("x"), { code })).title, /not a setup code/);
  }
});
