/**
 * Espruino has no documented API for a device-unique secret: getSerial() and the nRF FICR
 * DEVICEID are readable by anyone with the board, so they are identifiers, never secrets. Stock
 * Espruino boards therefore have no DeviceSecret (board file: "deviceSecret": null) and the store
 * generates its root at first boot.
 *
 * A board with a real secret (a custom build exposing an eFuse HMAC key or an ATECC-class secure
 * element over I2C) plugs it in here: pass a function that returns 32 fresh bytes, and name it in
 * the board file (`"deviceSecret": { "kind": "atecc608-hmac" }`). ES5.
 */
import type { DeviceSecret } from "../device-secret";

/** Wraps `read`; null when it yields no 32-byte secret at start-up (the board then has none). */
export function espruinoDeviceSecret(read: () => Uint8Array | null): DeviceSecret | null {
  var probe = read();
  if (!probe || probe.length !== 32) return null;
  for (var i = 0; i < 32; i++) probe[i] = 0;
  return {
    read: function (): Uint8Array {
      var b = read();
      if (!b || b.length !== 32) throw new Error("device secret became unreadable");
      var out = new Uint8Array(32);
      out.set(b);
      for (var j = 0; j < b.length; j++) b[j] = 0;
      return out;
    },
  };
}
