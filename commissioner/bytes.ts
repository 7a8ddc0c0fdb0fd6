/** Byte helpers for the commissioner (host side; the firmware has its own in firmware/crypto/bytes.ts). */
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";

export { bytesToHex as toHex, hexToBytes as fromHex, concatBytes, utf8ToBytes as utf8Encode };

/** Strict UTF-8 decoding: invalid sequences throw instead of becoming U+FFFD. */
export function utf8Decode(b: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(b);
}

/** Constant-time equality; lengths are public. */
export function ctEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Overwrites secret material where its last use ends. */
export function wipe(...bufs: (Uint8Array | null | undefined)[]): void {
  for (const b of bufs) if (b) b.fill(0);
}

/** u64 big-endian of a non-negative integer < 2^53 (docs/protocol.md §3.3 `counter`). */
export function u64be(n: number): Uint8Array {
  const out = new Uint8Array(8);
  const hi = Math.floor(n / 0x100000000);
  const lo = n >>> 0;
  new DataView(out.buffer).setUint32(0, hi);
  new DataView(out.buffer).setUint32(4, lo);
  return out;
}

/** Reads a u64 big-endian; values ≥ 2^53 come back as Infinity so they compare larger than any counter. */
export function readU64be(b: Uint8Array, off: number): number {
  const v = new DataView(b.buffer, b.byteOffset + off, 8);
  const hi = v.getUint32(0);
  if (hi >= 0x200000) return Infinity;
  return hi * 0x100000000 + v.getUint32(4);
}
