/**
 * The one place the crypto core learns about a board's native accelerator (hal/accel.ts).
 * `useAccel` is called once at boot (startDevice) with what the HAL offers; x25519.ts, aead.ts,
 * hmac.ts, hkdf.ts, entropy/drbg.ts and the SHA-2 hashes (md.ts for streams, sha256()/sha512() for whole messages) look here on every call and fall back to the portable code for
 * whatever is absent. `useAccel(null)` restores the portable code everywhere.
 */
import type { Accel } from "../../hal/accel";

export var ACCEL: Accel = { name: "portable" };

export function useAccel(a: Accel | null | undefined): void {
  ACCEL = a || { name: "portable" };
}

/**
 * The longest message the streaming hashes keep for a native one-shot hash. Longer ones (the
 * entropy pool's running hash) move to the portable compression once past it, without loss.
 */
export var ONE_SHOT_MAX = 1024;
