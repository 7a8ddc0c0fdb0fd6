/**
 * The portable crypto core: the plain object that images publish as `firstlight.crypto`.
 * A plain object literal (not a module namespace) so that small engines look members up directly.
 */
import { ctEqual, wipe, copyBytes, concatBytes, toHex, fromHex, utf8Encode, utf8Decode } from "./bytes";

export var cryptoApi = {
  ctEqual: ctEqual,
  wipe: wipe,
  copyBytes: copyBytes,
  concatBytes: concatBytes,
  toHex: toHex,
  fromHex: fromHex,
  utf8Encode: utf8Encode,
  utf8Decode: utf8Decode,
};
