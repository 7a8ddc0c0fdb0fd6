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
  /**
   * Optional (ports that link the ports/cortex-m kernel): X25519 into `out` (RFC 7748 §5; clamps
   * the scalar, masks bit 255 of the point); all three are 32-byte Uint8Arrays. hal/jerryscript/accel.ts.
   */
  x25519?(out: Uint8Array, scalar: Uint8Array, point: Uint8Array): void;
  /**
   * Optional, with x25519: AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8) in place on
   * buf = key[32] ‖ nonce[12] ‖ aad[aadLen] ‖ text[len] ‖ tag[16] (ports/cortex-m/firstlight_accel.h).
   * aeadSeal encrypts text and writes the tag; aeadOpen returns true and decrypts, or false with
   * text and tag zeroed. Throws BAD_ARGUMENT when buf cannot hold the lengths.
   */
  aeadSeal?(buf: Uint8Array, aadLen: number, len: number): void;
  aeadOpen?(buf: Uint8Array, aadLen: number, len: number): boolean;
}

declare var firstlight_native: FirstlightNative | undefined;

/** The registered binding, or null when this engine has none. */
export function nativeBinding(): FirstlightNative | null {
  return typeof firstlight_native === "object" && firstlight_native !== null ? firstlight_native : null;
}
