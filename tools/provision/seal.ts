/**
 * The factory's side of the sealed setup code (docs/setup-payload.md "What the device stores"),
 * on @noble: the device opens it with firmware/onboarding/setup-seal.ts, our own code, so the two
 * check each other.
 *
 *   key    = HKDF-SHA256(ikm = device secret (32), salt = empty, info = "firstlight/1 setup code", L = 32)
 *   sealed = nonce (12, random) ‖ ChaCha20-Poly1305(key, nonce, 8 ASCII digits, aad = "firstlight/1 setup code")
 */
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "node:crypto";
import { setupCodeProblem } from "../../commissioner/setup-code.ts";

export const SETUP_SEAL_LABEL = new TextEncoder().encode("firstlight/1 setup code");
export const SETUP_SEAL_BYTES = 12 + 8 + 16;

export function sealSetupCode(deviceSecret: Uint8Array, code: string, nonce: Uint8Array = randomBytes(12)): Uint8Array {
  if (deviceSecret.length !== 32) throw new Error("the device secret is 32 bytes");
  const bad = setupCodeProblem(code);
  if (bad) throw new Error(bad);
  if (nonce.length !== 12) throw new Error("the nonce is 12 bytes");
  const key = hkdf(sha256, deviceSecret, new Uint8Array(0), SETUP_SEAL_LABEL, 32);
  try {
    const out = new Uint8Array(SETUP_SEAL_BYTES);
    out.set(nonce, 0);
    out.set(chacha20poly1305(key, nonce, SETUP_SEAL_LABEL).encrypt(new TextEncoder().encode(code)), 12);
    return out;
  } finally {
    key.fill(0);
  }
}
