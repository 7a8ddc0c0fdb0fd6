/** commissioner/setup-payload.ts: the QR payload's round trip, its worked example and every error. */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  encodeSetupPayload,
  isValidSetupCode,
  MAX_DISCRIMINATOR,
  mod3736CheckCharacter,
  parseSetupPayload,
  SetupPayloadError,
} from "../../commissioner/setup-payload.ts";

const failsWith = (code: string, text: RegExp) => (e: unknown) => {
  assert.ok(e instanceof SetupPayloadError, String(e));
  assert.equal(e.code, code, e.message);
  assert.match(e.message, text);
  return true;
};

test("setup payload: the worked example of docs/setup-payload.md", () => {
  assert.equal(encodeSetupPayload({ version: 1, code: "20202021", discriminator: 3840 }), "FL:16KS1JL0L4");
  assert.deepEqual(parseSetupPayload("FL:16KS1JL0L4"), { version: 1, code: "20202021", discriminator: 3840 });
});

test("setup payload: ISO/IEC 7064 MOD 37,36 matches the standard's example", () => {
  // ISO/IEC 7064 annex example (also python-stdnum's): A12425GABC1234002 → check M.
  assert.equal(mod3736CheckCharacter("A12425GABC1234002"), "M");
});

test("setup payload: round trip at the edges and on random fields, always 13 QR-alphanumeric characters", () => {
  const cases: Array<[string, number]> = [["00000001", 0], ["99999998", MAX_DISCRIMINATOR], ["12345679", 1], ["87654320", 2048], ["20202021", 0]];
  for (let i = 0; i < 500; i++) {
    const code = String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
    if (isValidSetupCode(code)) cases.push([code, Math.floor(Math.random() * 4096)]);
  }
  for (const [code, discriminator] of cases) {
    const text = encodeSetupPayload({ version: 1, code, discriminator });
    assert.match(text, /^FL:1[0-9A-Z]{9}$/, text);
    assert.deepEqual(parseSetupPayload(text), { version: 1, code, discriminator }, text);
    assert.deepEqual(parseSetupPayload("  " + text.toLowerCase() + "\n"), { version: 1, code, discriminator }, "typed in lower case");
  }
});

test("setup payload: isValidSetupCode keeps Matter's exclusions", () => {
  for (const bad of ["00000000", "11111111", "22222222", "55555555", "99999999", "12345678", "87654321", "1234567", "123456789", "2020-2021", "", "abcdefgh", " 20202021"]) {
    assert.equal(isValidSetupCode(bad), false, bad);
  }
  for (const good of ["20202021", "00000001", "99999998", "12345679", "11111112"]) assert.equal(isValidSetupCode(good), true, good);
});

test("setup payload: on the worked example, every single-character change and every adjacent swap is caught", () => {
  const good = "FL:16KS1JL0L4";
  const A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (let i = 4; i < good.length; i++) {
    for (const c of A) {
      if (c === good[i]) continue;
      const t = good.slice(0, i) + c + good.slice(i + 1);
      assert.throws(() => parseSetupPayload(t), SetupPayloadError, t);
    }
    if (i + 1 < good.length && good[i] !== good[i + 1]) {
      const t = good.slice(0, i) + good[i + 1] + good[i] + good.slice(i + 2);
      assert.throws(() => parseSetupPayload(t), SetupPayloadError, t);
    }
  }
});

test("setup payload: over many random payloads, every single-character change is caught", () => {
  const A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (let n = 0; n < 200; n++) {
    const code = String(10000000 + Math.floor(Math.random() * 89999999));
    if (!isValidSetupCode(code)) continue;
    const good = encodeSetupPayload({ version: 1, code, discriminator: Math.floor(Math.random() * 4096) });
    for (let i = 4; i < good.length; i++)
      for (const c of A) if (c !== good[i]) assert.throws(() => parseSetupPayload(good.slice(0, i) + c + good.slice(i + 1)), SetupPayloadError);
  }
});

test("setup payload: each way a payload can be wrong has its own error", () => {
  assert.throws(() => parseSetupPayload("MT:Y.K9042C00KA0648G00"), failsWith("BAD_PREFIX", /starts with "FL:".*not a firstlight label/));
  assert.throws(() => parseSetupPayload("20202021"), failsWith("BAD_PREFIX", /starts with "FL:"/));
  assert.throws(() => parseSetupPayload("FL:"), failsWith("BAD_LENGTH", /ends after its prefix/));
  assert.throws(() => parseSetupPayload("FL:26KS1JL0L4"), failsWith("BAD_VERSION", /version 2; this commissioner reads version 1/));
  assert.throws(() => parseSetupPayload("FL:06KS1JL0L4"), failsWith("BAD_VERSION", /version 0/));
  assert.throws(() => parseSetupPayload("FL:16KS1JL0L"), failsWith("BAD_LENGTH", /has 9 characters.*has 10/));
  assert.throws(() => parseSetupPayload("FL:16KS1JL0L44"), failsWith("BAD_LENGTH", /has 11 characters/));
  assert.throws(() => parseSetupPayload("FL:16KS1-L0L4"), failsWith("BAD_CHARACTER", /"-" at position 9/));
  assert.throws(() => parseSetupPayload("FL:16KS1JL0L5"), failsWith("BAD_CHECK", /check character does not match/));
  assert.throws(() => parseSetupPayload("FL:16KS1JK0L4"), failsWith("BAD_CHECK", /misread or mistyped/));
  // Well-formed and correctly checked, but fields no factory writes.
  const forge = (n: number) => {
    let data = "";
    for (let i = 0; i < 8; i++) { data = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 36] + data; n = Math.floor(n / 36); }
    return "FL:1" + data + mod3736CheckCharacter("1" + data);
  };
  assert.throws(() => parseSetupPayload(forge(4096 * 2 ** 27)), failsWith("BAD_DISCRIMINATOR", /discriminator field is 4096, above 4095/));
  assert.throws(() => parseSetupPayload(forge(100000000)), failsWith("BAD_CODE", /code field is 100000000, more than 8 digits/));
  assert.throws(() => parseSetupPayload(forge(12345678)), failsWith("BAD_CODE", /12345678 is a trivial code/));
  assert.throws(() => parseSetupPayload(forge(0)), failsWith("BAD_CODE", /00000000 is a trivial code/));
  assert.equal(parseSetupPayload(forge(5 * 2 ** 27 + 20202021)).discriminator, 5);
});

test("setup payload: encoding refuses what it could not write faithfully", () => {
  assert.throws(() => encodeSetupPayload({ version: 2, code: "20202021", discriminator: 1 }), failsWith("BAD_VERSION", /version 2 is not supported/));
  assert.throws(() => encodeSetupPayload({ version: 1, code: "87654321", discriminator: 1 }), failsWith("BAD_CODE", /trivial/));
  assert.throws(() => encodeSetupPayload({ version: 1, code: "2020-2021", discriminator: 1 }), failsWith("BAD_CODE", /exactly 8 digits/));
  for (const d of [-1, 4096, 1.5, NaN]) {
    assert.throws(() => encodeSetupPayload({ version: 1, code: "20202021", discriminator: d }), failsWith("BAD_DISCRIMINATOR", /0…4095/));
  }
});
