/**
 * firmware/onboarding/setup-seal.ts (the device, our own ChaCha20-Poly1305 and HKDF) opens what
 * tools/provision/seal.ts (the factory, on @noble) seals, and nothing else.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { openSetupSeal, SETUP_SEAL_BYTES, SETUP_SEAL_LABEL } from "../../../firmware/onboarding/setup-seal.ts";
import { simDeviceSecret } from "../../../hal/sim/device-secret.ts";
import { sealSetupCode, SETUP_SEAL_BYTES as HOST_BYTES, SETUP_SEAL_LABEL as HOST_LABEL } from "../../../tools/provision/seal.ts";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";

const secret = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);

test("setup seal: both sides agree on the layout", () => {
  assert.equal(SETUP_SEAL_BYTES, HOST_BYTES);
  assert.equal(new TextDecoder().decode(HOST_LABEL), SETUP_SEAL_LABEL);
});

test("setup seal: the device opens the factory's seal, for many codes and nonces", () => {
  for (const code of ["20202021", "00000001", "99999998", "13500708"]) {
    const sealed = sealSetupCode(secret, code);
    assert.equal(sealed.length, 36);
    assert.deepEqual(openSetupSeal(simDeviceSecret(secret), sealed), { code });
  }
  // A fixed nonce gives the layout of docs/setup-payload.md: nonce ‖ AEAD(key, nonce, code, aad = label).
  const nonce = new Uint8Array(12).fill(9);
  const key = hkdf(sha256, secret, new Uint8Array(0), HOST_LABEL, 32);
  const expect = new Uint8Array([...nonce, ...chacha20poly1305(key, nonce, HOST_LABEL).encrypt(new TextEncoder().encode("20202021"))]);
  assert.deepEqual(sealSetupCode(secret, "20202021", nonce), expect);
});

test("setup seal: another device's secret, a flipped bit, a wrong length or no secret are refused with a sentence", () => {
  const sealed = sealSetupCode(secret, "20202021");
  const other = secret.slice();
  other[0] ^= 1;
  assert.match(String(openSetupSeal(simDeviceSecret(other), sealed)), /does not open with this device's secret/);
  for (let i = 0; i < sealed.length; i++) {
    const bad = sealed.slice();
    bad[i] ^= 0x80;
    assert.match(String(openSetupSeal(simDeviceSecret(secret), bad)), /does not open/, `byte ${i}`);
  }
  assert.match(String(openSetupSeal(simDeviceSecret(secret), sealed.subarray(0, 35))), /is 36 bytes/);
  assert.match(String(openSetupSeal(null, sealed)), /no device secret to open it/);
});

test("setup seal: the factory refuses what a device could not use", () => {
  assert.throws(() => sealSetupCode(secret, "12345678"), /trivial/);
  assert.throws(() => sealSetupCode(secret.subarray(0, 31), "20202021"), /32 bytes/);
  assert.throws(() => sealSetupCode(secret, "20202021", new Uint8Array(8)), /12 bytes/);
});
