/** DeviceSecret over deviceSecret(); null when the board reports none at start-up. ES5. */
import type { DeviceSecret } from "../device-secret";
import type { FirstlightNative } from "./native";

export function jerryDeviceSecret(nat: FirstlightNative): DeviceSecret | null {
  var probe = nat.deviceSecret();
  if (!probe || probe.length !== 32) return null;
  for (var i = 0; i < 32; i++) probe[i] = 0;
  return {
    read: function (): Uint8Array {
      var b = nat.deviceSecret();
      // The binding promised a secret at start-up; losing it is a hardware fault, not a state.
      if (!b || b.length !== 32) throw new Error("device secret became unreadable");
      return b;
    },
  };
}
