/**
 * The CPace generator for G_X25519 with H = SHA-512 (draft-irtf-cfrg-cpace-21 §4 "Common function
 * for computing generators" and §4.1 G_X25519.calculate_generator):
 *
 *   generator_string(DSI, PRS, CI, sid, s_in_bytes) = lv_cat(DSI, PRS, zero_bytes(len_zpad), CI, sid)
 *   len_zpad = max(0, s_in_bytes − len(prepend_len(PRS)) − len(prepend_len(DSI)) − 1)
 *   g = Elligator2(decodeUCoordinate(SHA-512(generator_string)[0..32], 255))
 *
 * The zero padding fills SHA-512's first 128-byte block with DSI and PRS alone. The generator string,
 * its hash and g all derive from the password: the first two are wiped here, g by the caller.
 */
import { checkBytes } from "../../errors";
import { wipe, view } from "../../crypto/bytes";
import { sha512, SHA512_BLOCK_LEN } from "../../crypto/sha512";
import { lvCat, prependLen } from "./encoding";
import { elligator2 } from "./elligator2";

/** G_X25519.DSI = "CPace255". */
export var DSI = new Uint8Array([0x43, 0x50, 0x61, 0x63, 0x65, 0x32, 0x35, 0x35]);

/** generator_string(DSI, PRS, CI, sid, s_in_bytes): a new array the caller wipes (it contains PRS). */
export function generatorString(dsi: Uint8Array, prs: Uint8Array, ci: Uint8Array, sid: Uint8Array, sInBytes: number): Uint8Array {
  checkBytes(prs, "PRS");
  var prsLen = prependLen(prs), n = sInBytes - prsLen.length - prependLen(dsi).length - 1;
  wipe(prsLen);
  return lvCat([dsi, prs, new Uint8Array(n > 0 ? n : 0), ci, sid]);
}

/** G_X25519.calculate_generator(H = SHA-512, PRS, CI, sid): the 32-byte u-coordinate g (secret; the caller wipes it). */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  checkBytes(prs, "PRS");
  checkBytes(ci, "CI");
  checkBytes(sid, "sid");
  var gs = generatorString(DSI, prs, ci, sid, SHA512_BLOCK_LEN);
  var h = sha512(gs);
  wipe(gs);
  // H.hash(gen_str, 32): the first 32 bytes of the SHA-512 output.
  var g = elligator2(view(h, 0, 32));
  wipe(h);
  return g;
}
