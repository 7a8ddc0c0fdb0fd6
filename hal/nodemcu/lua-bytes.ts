/**
 * Bytes ↔ NodeMCU strings. NodeMCU's file and net modules carry binary data as Lua strings (each
 * character one byte); on the JavaScript side of the tests the same code sees strings of char
 * codes 0 … 255. TypeScript-to-Lua turns `String.fromCharCode` into `string.char`, `charCodeAt`
 * into `string.byte` and `join` into `table.concat`. ES5 / Lua.
 */

/** The bytes b[from … to) as a string. */
export function bytesToString(b: Uint8Array, from: number, to: number): string {
  var parts: string[] = [];
  for (var i = from; i < to; i++) parts.push(String.fromCharCode(b[i] & 0xff));
  return parts.join("");
}

/** Copies the string's bytes into out[at …]. */
export function stringToBytes(s: string, out: Uint8Array, at: number): void {
  for (var i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i) & 255;
}

/** `n` bytes of 0xFF as a string (an erased page), built by doubling. */
export function erasedString(n: number): string {
  var s = String.fromCharCode(255);
  while (s.length < n) s = s + s;
  return s.substring(0, n);
}
