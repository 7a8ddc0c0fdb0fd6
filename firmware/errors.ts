/**
 * Errors thrown inside the firmware carry a stable `code` (upper-case, prefixed by the module:
 * `CRYPTO_…`, `ENTROPY_…`, `STORE_…`, `PROTO_…`) and a sentence for people.
 * Callers branch on `code`; messages may change. HAL drivers never throw across the HAL
 * boundary: they report `HalError` codes through callbacks (see hal/errors.ts).
 */
export interface FirstlightError extends Error {
  code: string;
}

export function fail(code: string, message: string): never {
  var e = new Error(code + ": " + message) as FirstlightError;
  e.code = code;
  throw e;
}

/** Throws CRYPTO_BAD_INPUT unless `b` is a Uint8Array (of `length` bytes when given). */
export function checkBytes(b: Uint8Array, name: string, length?: number): void {
  if (!(b instanceof Uint8Array)) fail("CRYPTO_BAD_INPUT", name + " must be a Uint8Array");
  if (length !== undefined && b.length !== length)
    fail("CRYPTO_BAD_INPUT", name + " must be " + length + " bytes, got " + b.length);
}
