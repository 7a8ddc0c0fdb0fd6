/**
 * The native binding a JerryScript port registers: one global object, `firstlight_native`,
 * specified byte by byte in docs/jerryscript-binding.md. The drivers in this folder are the only
 * users; they take the binding as a parameter so tests run them over a mock. ES5.
 */

/** The error strings the binding may return; the same names as HalError. */
export type NativeError = "BUSY" | "FAIL" | "SIZE" | "ALIGN" | "BITS" | "OFF" | "CLOSED";

export interface FirstlightNative {
  /** Binding contract version; the drivers accept 1. */
  readonly version: number;
  /** n (1 … 256) raw bytes from the hardware RNG, fresh buffer; null on a hardware or health fault. */
  trngRead(n: number): Uint8Array | null;
  /** [pageSize, pageCount, writeSize] of the firstlight NOR area. */
  flashInfo(): number[];
  /** A fresh copy of `len` bytes at area offset `addr`; null when outside the area. */
  flashRead(addr: number, len: number): Uint8Array | null;
  /** ANDs `bytes` into the area at `addr`; copies `bytes` before returning. */
  flashProgram(addr: number, bytes: Uint8Array): NativeError | null;
  /** Sets page `page` (0-based within the area) to 0xFF. */
  flashErase(page: number): NativeError | null;
  /** Watches both edges of `pin`; `level` is the raw 0/1, `timeUs` the edge time on nowMs()'s timer in µs. Returns an id ≥ 1. */
  pinWatch(pin: string, cb: (level: number, timeUs: number) => void): number;
  pinUnwatch(id: number): void;
  pinWrite(pin: string, level: number): void;
  /** Monotonic ms since boot (a double; never wraps, never goes back). */
  nowMs(): number;
  /** One-shot timer; returns an id ≥ 1 not reused while pending. */
  setTimer(ms: number, cb: () => void): number;
  /** No-op for a fired, cleared or unknown id. */
  clearTimer(id: number): void;
  /** Queues bytes to the commissioner (copied); "CLOSED" when no peer, "BUSY" when the queue is full. */
  linkSend(bytes: Uint8Array): NativeError | null;
  /** Receiver of incoming chunks (a new call replaces it). */
  linkOnReceive(cb: (chunk: Uint8Array) => void): void;
  /** Called with true when a commissioner connects and false when it goes. */
  linkOnState(cb: (connected: boolean) => void): void;
  /** Drops the current connection (a later linkOnState(false) follows). */
  linkClose(): void;
  /** 32 fresh bytes of the hardware secret, or null where the board has none. */
  deviceSecret(): Uint8Array | null;
  /** Resets the chip; does not return. */
  reboot(): void;
  /*
   * Optional, all together (ports that link the ports/cortex-m kernel; binding/accel.c): the
   * kernel's calls in hal/accel.ts's shapes, so that hal/jerryscript/accel.ts offers these very
   * functions. Each throws a TypeError with code NATIVE_BAD_ARGUMENT on arguments of the wrong type
   * or size, a RangeError NATIVE_NO_MEMORY when the heap has no room for its work buffer.
   */
  /** X25519 (RFC 7748 §5) into `out`; clamps the scalar, masks bit 255 of the point; all 32 bytes. */
  x25519?(out: Uint8Array, scalar: Uint8Array, point: Uint8Array): void;
  /** CPace's Elligator 2 map (RFC 9380 §6.7.1, Z = 2) of r (32 bytes) into `out` (32 bytes). */
  elligator2?(out: Uint8Array, r: Uint8Array): void;
  /** AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8): a new ciphertext ‖ tag; open: the plaintext, or null on a bad tag. */
  aeadSeal?(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  aeadOpen?(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | null;
  /** One-shot SHA-256 / SHA-512 (FIPS 180-4): a new digest. */
  sha256?(msg: Uint8Array): Uint8Array;
  sha512?(msg: Uint8Array): Uint8Array;
  /** HMAC-SHA-256 (RFC 2104) and HKDF-SHA-256 (RFC 5869, length ≤ 8160): new arrays. */
  hmacSha256?(key: Uint8Array, msg: Uint8Array): Uint8Array;
  hkdfSha256?(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** HMAC_DRBG (SP 800-90A §10.1.2) Update with the parts (≤ 4) joined, and one Generate request; K, V in place. */
  drbgUpdate?(K: Uint8Array, V: Uint8Array, parts: Uint8Array[]): void;
  drbgGenerate?(K: Uint8Array, V: Uint8Array, n: number, additional: Uint8Array): Uint8Array;
}

declare var firstlight_native: FirstlightNative | undefined;

/** The registered binding, or null when this engine has none. */
export function nativeBinding(): FirstlightNative | null {
  return typeof firstlight_native === "object" && firstlight_native !== null ? firstlight_native : null;
}
