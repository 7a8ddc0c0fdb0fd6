/**
 * The simulator's hardware secret: 32 fixed bytes, or none (to exercise boards without one).
 * Every read returns a fresh copy, because the caller wipes what it gets. ES5.
 */
import type { DeviceSecret } from "../device-secret";

/** A recognisable, obviously-not-secret default for the simulator only. */
export var SIM_DEVICE_SECRET_HEX = "5349 4d20 4445 5649 4345 2053 4543 5245 5420 2d20 6e6f 7420 7365 6372 6574 2121".replace(/ /g, "");

export function simDeviceSecret(secret: Uint8Array | null): DeviceSecret | null {
  if (secret === null) return null;
  if (!(secret instanceof Uint8Array) || secret.length !== 32) throw new Error("simDeviceSecret: need 32 bytes");
  var kept = new Uint8Array(32);
  kept.set(secret);
  return {
    read: function (): Uint8Array {
      var out = new Uint8Array(32);
      out.set(kept);
      return out;
    },
  };
}

/** The default simulator secret as bytes. */
export function defaultSimSecret(): Uint8Array {
  var out = new Uint8Array(32), h = SIM_DEVICE_SECRET_HEX;
  for (var i = 0; i < 32; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
  return out;
}
