/**
 * The initiator ephemerals `e` of the last HELLO_CACHE_SIZE SESSION_HELLOs the device accepted
 * (their KK message 1 decrypted), so that a replay of one of them is refused before any DH
 * (docs/protocol.md §7 "One conversation slot"). RAM only: a reboot empties it.
 *
 * Each `e` is kept as a constant-size fingerprint, the first FINGERPRINT_BYTES of
 * SHA-256(label ‖ e), in one fixed ring buffer: HELLO_CACHE_SIZE × FINGERPRINT_BYTES bytes whatever
 * is sent. Only accepted hellos go in, so junk cannot push the owner's out; a hello older than the
 * last HELLO_CACHE_SIZE accepted ones is answered again (and bounded by the slot rules).
 */
import { ctEqual, utf8Encode, view } from "../crypto/bytes";
import { Sha256 } from "../crypto/sha256";

export var HELLO_CACHE_SIZE = 8;
export var FINGERPRINT_BYTES = 16;
var LABEL = utf8Encode("firstlight/1 hello e");

export interface HelloCache {
  /** `e` (32 bytes) is among the last HELLO_CACHE_SIZE remembered. */
  seen(e: Uint8Array): boolean;
  /** Remembers `e`, forgetting the oldest when full. */
  remember(e: Uint8Array): void;
}

function fingerprint(e: Uint8Array): Uint8Array {
  return view(new Sha256().update(LABEL).update(e).digest(), 0, FINGERPRINT_BYTES);
}

export function createHelloCache(): HelloCache {
  var ring = new Uint8Array(HELLO_CACHE_SIZE * FINGERPRINT_BYTES);
  var used = 0, next = 0;
  return {
    seen: function (e: Uint8Array): boolean {
      var f = fingerprint(e), hit = false;
      for (var i = 0; i < used; i++) {
        if (ctEqual(f, view(ring, i * FINGERPRINT_BYTES, (i + 1) * FINGERPRINT_BYTES))) hit = true;
      }
      return hit;
    },
    remember: function (e: Uint8Array): void {
      ring.set(fingerprint(e), next * FINGERPRINT_BYTES);
      next = (next + 1) % HELLO_CACHE_SIZE;
      if (used < HELLO_CACHE_SIZE) used++;
    },
  };
}
