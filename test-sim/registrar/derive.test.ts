import { test } from "node:test";
import assert from "node:assert/strict";
import { hkdfSync, randomBytes } from "node:crypto";
import fc from "fast-check";
import { deriveDeviceKey, deviceIdOf, parseDeviceId, RegistrarError } from "../../registrar/derive.ts";

const master = Uint8Array.from(Buffer.from("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "hex"));

test("per-device keys equal an independent HKDF (node:crypto) of id ‖ epoch", () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.nat(0xffffffff), (idBytes, epoch) => {
    const id = Buffer.from(idBytes).toString("hex");
    const info = Buffer.concat([Buffer.from(idBytes), Buffer.from([epoch >>> 24, (epoch >>> 16) & 255, (epoch >>> 8) & 255, epoch & 255])]);
    const want = Buffer.from(hkdfSync("sha256", master, "firstlight/1 device-psk", info, 32));
    assert.equal(Buffer.from(deriveDeviceKey(master, id, epoch)).toString("hex"), want.toString("hex"));
  }));
});

test("a fixed vector, so a change of the scheme cannot pass unnoticed", () => {
  assert.equal(Buffer.from(deriveDeviceKey(master, "0011223344556677", 3)).toString("hex"),
    Buffer.from(hkdfSync("sha256", master, "firstlight/1 device-psk", Buffer.from("001122334455667700000003", "hex"), 32)).toString("hex"));
});

test("keys are independent across devices and epochs; one device's key does not give another's", () => {
  const seen = new Set<string>();
  for (let d = 0; d < 50; d++) {
    const id = randomBytes(8).toString("hex");
    for (let e = 0; e < 4; e++) seen.add(Buffer.from(deriveDeviceKey(master, id, e)).toString("hex"));
  }
  assert.equal(seen.size, 200);
  // Flipping one bit of the id or the epoch changes about half of the output bits.
  const a = deriveDeviceKey(master, "0000000000000000", 0);
  for (const [id, ep] of [["0000000000000001", 0], ["0000000000000000", 1]] as const) {
    const b = deriveDeviceKey(master, id, ep);
    let diff = 0;
    for (let i = 0; i < 32; i++) for (let x = a[i] ^ b[i]; x; x &= x - 1) diff++;
    assert.ok(diff > 80 && diff < 176, `avalanche: ${diff} of 256 bits differ`);
  }
  // A different master gives unrelated keys for the same device.
  const other = deriveDeviceKey(Uint8Array.from(randomBytes(32)), "0000000000000000", 0);
  assert.notDeepEqual(other, a);
});

test("bad ids, epochs and masters get clear errors", () => {
  const code = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as RegistrarError).code; } return "no error"; };
  assert.equal(code(() => parseDeviceId("xyz")), "BAD_DEVICE_ID");
  assert.equal(code(() => parseDeviceId("00112233445566778")), "BAD_DEVICE_ID");
  assert.equal(code(() => parseDeviceId("00112233445566AA")), "BAD_DEVICE_ID");
  assert.equal(code(() => deriveDeviceKey(master, "0011223344556677", -1)), "BAD_EPOCH");
  assert.equal(code(() => deriveDeviceKey(master, "0011223344556677", 2 ** 32)), "BAD_EPOCH");
  assert.equal(code(() => deriveDeviceKey(master, "0011223344556677", 1.5)), "BAD_EPOCH");
  assert.equal(code(() => deriveDeviceKey(master.subarray(0, 16), "0011223344556677", 0)), "BAD_MASTER");
  assert.equal(code(() => deviceIdOf(new Uint8Array(31))), "BAD_KEY");
});
