/**
 * Per-device keys for deployments that use pre-shared keys (seed 003): one master key on the
 * server, a different key per device, re-derivable at any time and rotated by bumping the epoch.
 *
 *   deviceKey = HKDF-SHA256(ikm = master, salt = "firstlight/1 device-psk",
 *                           info = deviceId (8 bytes) ‖ epoch (u32 big-endian), L = 32)
 *
 * HKDF's output for one (id, epoch) reveals nothing about the output for another, nor about the
 * master (RFC 5869 §3, PRF security of HMAC): compromising one device leaves every other key intact.
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";

export const DEVICE_PSK_SALT = new TextEncoder().encode("firstlight/1 device-psk");

export class RegistrarError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Parses a device id: 16 lowercase hex digits (the first 8 bytes of SHA-256 of its identity key). */
export function parseDeviceId(id: string): Uint8Array {
  if (typeof id !== "string" || !/^[0-9a-f]{16}$/.test(id)) {
    throw new RegistrarError("BAD_DEVICE_ID", `a device id is 16 lowercase hex digits, got ${JSON.stringify(id)}`);
  }
  return Uint8Array.from(Buffer.from(id, "hex"));
}

/** The device id of an identity public key. */
export function deviceIdOf(identityPublicKey: Uint8Array): string {
  if (identityPublicKey.length !== 32) throw new RegistrarError("BAD_KEY", "an identity public key is 32 bytes");
  return Buffer.from(sha256(identityPublicKey).subarray(0, 8)).toString("hex");
}

export function deriveDeviceKey(master: Uint8Array, deviceId: string, epoch: number): Uint8Array {
  if (!(master instanceof Uint8Array) || master.length < 32) {
    throw new RegistrarError("BAD_MASTER", "the master key must be at least 32 bytes");
  }
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) {
    throw new RegistrarError("BAD_EPOCH", `an epoch is an integer 0 … 2^32−1, got ${epoch}`);
  }
  const info = new Uint8Array(12);
  info.set(parseDeviceId(deviceId), 0);
  new DataView(info.buffer).setUint32(8, epoch, false);
  return hkdf(sha256, master, DEVICE_PSK_SALT, info, 32);
}
