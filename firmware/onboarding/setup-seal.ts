/**
 * The sealed setup code (docs/setup-payload.md "What the device stores"): the factory seals the
 * 8-digit code under a key derived from the device's hardware secret, so a dump of the device's
 * storage without that secret does not show it. The device opens it once at boot and hands the
 * code to startDevice (CPace needs the code itself, so a verifier cannot replace it).
 *
 *   sealed (36 bytes) = nonce (12) ‖ ChaCha20-Poly1305(key, nonce, code as 8 ASCII digits,
 *                                                      aad = "firstlight/1 setup code") (8 + 16)
 *   key = HKDF-SHA256(ikm = device secret (32), salt = empty, info = "firstlight/1 setup code", L = 32)
 *
 * ES5.
 */
import { aeadOpen } from "../crypto/aead";
import { hkdfSha256 } from "../crypto/hkdf";
import { utf8Decode, utf8Encode, view, wipe } from "../crypto/bytes";
import type { DeviceSecret } from "../../hal/device-secret";

export var SETUP_SEAL_LABEL = "firstlight/1 setup code";
export var SETUP_SEAL_BYTES = 36;

/** The code, or a sentence saying why the seal cannot be opened (wrong device, damaged, no secret). */
export function openSetupSeal(secret: DeviceSecret | null, sealed: Uint8Array): string | { code: string } {
  if (!secret) return "the setup code is sealed, but this board has no device secret to open it";
  if (!(sealed instanceof Uint8Array) || sealed.length !== SETUP_SEAL_BYTES) return "the sealed setup code is " + SETUP_SEAL_BYTES + " bytes";
  var label = utf8Encode(SETUP_SEAL_LABEL);
  var ikm = secret.read();
  var key = hkdfSha256(ikm, new Uint8Array(0), label, 32);
  wipe(ikm);
  var plain = aeadOpen(key, view(sealed, 0, 12), view(sealed, 12), label);
  wipe(key);
  if (plain === null) return "the sealed setup code does not open with this device's secret (sealed for another device, or damaged)";
  var code = utf8Decode(plain);
  wipe(plain);
  return { code: code };
}
