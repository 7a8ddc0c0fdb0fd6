/**
 * Key material (docs/flash-format.md §3). Per store generation g, with the root the caller passes
 * (the device secret, or a root the board keeps per its capability) and the seed of the key page:
 *
 *   okm         = HKDF-SHA256(ikm = root, salt = seed_g, info = "firstlight v1 storage", L = 72)
 *   storage key = okm[0 … 32)    ChaCha20-Poly1305 key of every record
 *   name key    = okm[32 … 64)   name tag = HMAC-SHA256(name key, UTF-8 name)[0 … 8)
 *   key check   = okm[64 … 72)   kept in the key slot: a wrong root is refused at mount
 *
 * seed_g comes from the caller's random source; without one it is
 * HMAC-SHA256(root, "firstlight v1 seed" ‖ g) and a shred then protects only against someone who
 * does not also hold the root (the doc says so; stats() reports the seed source).
 */
import { hkdfSha256 } from "../crypto/hkdf";
import { hmacSha256 } from "../crypto/hmac";
import { concatBytes, utf8Encode, wipe, view } from "../crypto/bytes";
import { fail } from "../errors";
import { TAG_LEN, put32 } from "./format";

var INFO = utf8Encode("firstlight v1 storage");
var SEED_INFO = utf8Encode("firstlight v1 seed");

export interface StoreKeys {
  aeadKey: Uint8Array;
  nameKey: Uint8Array;
  check: Uint8Array;
}

export function deriveKeys(root: Uint8Array, seed: Uint8Array): StoreKeys {
  var okm = hkdfSha256(root, seed, INFO, 72);
  var k: StoreKeys = { aeadKey: new Uint8Array(32), nameKey: new Uint8Array(32), check: new Uint8Array(8) };
  k.aeadKey.set(view(okm, 0, 32));
  k.nameKey.set(view(okm, 32, 64));
  k.check.set(view(okm, 64, 72));
  wipe(okm);
  return k;
}

export function wipeKeys(k: StoreKeys | null): void {
  if (!k) return;
  wipe(k.aeadKey);
  wipe(k.nameKey);
  wipe(k.check);
}

export function nameTag(nameKey: Uint8Array, name: Uint8Array): Uint8Array {
  var mac = hmacSha256(nameKey, name), t = new Uint8Array(TAG_LEN);
  t.set(view(mac, 0, TAG_LEN));
  wipe(mac);
  return t;
}

export function derivedSeed(root: Uint8Array, generation: number): Uint8Array {
  var g = new Uint8Array(4);
  put32(g, 0, generation);
  return hmacSha256(root, concatBytes([SEED_INFO, g]));
}

/** `random(32)`, checked: the wrong length or 32 equal bytes (a stuck source) is refused. */
export function randomSeed(random: (n: number) => Uint8Array): Uint8Array {
  var b = random(32);
  if (!(b instanceof Uint8Array) || b.length !== 32) fail("STORE_BAD_INPUT", "options.random(32) must return 32 bytes");
  var same = true;
  for (var i = 1; i < 32; i++) if (b[i] !== b[0]) same = false;
  if (same) fail("STORE_BAD_INPUT", "options.random(32) returned 32 equal bytes");
  var out = new Uint8Array(32);
  out.set(b);
  wipe(b);
  return out;
}
