/** commissioner/user-input.ts: a label as typed or scanned, the digits or the QR payload. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError, readSetupCode, readSetupInput, readSetupPayload } from "../../commissioner/user-input.ts";

const fails = (code: string, text: RegExp) => (e: unknown) => {
  assert.ok(e instanceof InputError, String(e));
  assert.equal(e.code, code);
  assert.match(e.message, text);
  return true;
};

test("user input: digits as printed, or the payload, give the same code", () => {
  assert.deepEqual(readSetupInput("2020-2021"), { code: "20202021" });
  assert.deepEqual(readSetupInput(" 2020 2021 "), { code: "20202021" });
  assert.deepEqual(readSetupInput("FL:16KS1JL0L4"), { code: "20202021", discriminator: 3840 });
  assert.deepEqual(readSetupInput("fl:16ks1jl0l4\n"), { code: "20202021", discriminator: 3840 });
  assert.deepEqual(readSetupPayload("FL:16KS1JL0L4"), { code: "20202021", discriminator: 3840 });
  assert.equal(readSetupCode("2020-2021"), "20202021");
});

test("user input: a damaged payload or a bad code says what is wrong", () => {
  assert.throws(() => readSetupInput("FL:16KS1JL0L5"), fails("BAD_PAYLOAD", /check character does not match/));
  assert.throws(() => readSetupInput("MT:Y.K9042C00KA0648G00"), fails("BAD_PAYLOAD", /not a firstlight label/));
  assert.throws(() => readSetupInput("FL:16KS"), fails("BAD_PAYLOAD", /has 4 characters after "FL:"/));
  assert.throws(() => readSetupInput("1234-5678"), fails("BAD_CODE", /trivial code/));
  assert.throws(() => readSetupInput("2020202"), fails("BAD_CODE", /exactly 8 digits/));
  assert.throws(() => readSetupPayload("20202021"), fails("BAD_PAYLOAD", /starts with "FL:"/));
});
