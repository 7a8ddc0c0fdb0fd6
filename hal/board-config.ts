/**
 * What a board file (boards/NAME.json) says about a board. The loader in build/boards.ts
 * validates a file field by field and refuses unknown fields; docs/boards.md documents every field
 * and where each board's figures come from.
 */
export interface BoardConfig {
  /** Board id, the file name without .json. */
  name: string;
  description: string;
  /** "planned": the board's engine has no build yet (e.g. the Lua target); absent = "supported". */
  status?: "supported" | "planned";
  /** The engine the image runs on, and the language level it accepts. */
  engine: "espruino" | "jerryscript" | "nodemcu" | "sim";
  language: "es5" | "lua51" | "lua53";
  /** Budgets the build checks: image bytes, heap bytes, and Espruino JsVars where relevant. */
  budgets: { codeBytes: number; heapBytes: number; jsVars?: number };
  /** The NOR area given to firstlight's store. */
  flash: { pageSize: number; pageCount: number; writeSize: number; baseAddress: number };
  /**
   * Espruino only: the stock build's Storage area (saved code), absolute addresses. The boot check
   * refuses a store area that overlaps what Storage may write (hal/espruino/store-area.ts).
   */
  storage?: { baseAddress: number; bytes: number };
  /** Espruino only: how the commissioner connects (TCP over require("net"), or BLE UART). */
  link?: { transport: "tcp" | "ble"; port?: number };
  /** `pin` "virtual": a button pressed from the console (the Linux build has no GPIO). */
  button: { pin: string; activeLow: boolean };
  led: { pin: string; activeLow: boolean } | null;
  trng: {
    /** What the raw source is (e.g. "nrf52-rng", "stm32-adc-noise", "sim"). */
    source: string;
    /** Min-entropy credited per raw byte, 0 … 8 (0 = not a true random source: it can never open the gate alone). */
    bitsPerByte: number;
    /** Raw bytes per second the source delivers (for progress estimates and benchmarks). */
    bytesPerSecond: number;
  };
  /**
   * A second, independent raw source (timing jitter), same fields as `trng`; its credit must come
   * from the SP 800-90B estimate on its own samples (docs/entropy.md, "A second source").
   */
  jitter?: { source: string; bitsPerByte: number; bytesPerSecond: number };
  /** Credited bits required before any key generation (≥ 256). */
  entropy: { gateBits: number };
  /** The hardware secret, or null where the board has none. */
  deviceSecret: { kind: string } | null;
  /**
   * Native crypto (hal/accel.ts): "cortex-m4-blob" (the ports/cortex-m kernel through E.nativeCall),
   * "jerryscript-native" (the same C linked into the JerryScript port), "espruino-crypto"
   * (require("crypto").SHA256/SHA512). Absent = "portable" for both. `aead` (ChaCha20-Poly1305 from
   * the same kernel) is optional: absent = "portable"; so is `kdf` (HMAC-SHA-256, HKDF-SHA-256 and
   * the HMAC_DRBG steps from the kernel).
   */
  accel?: { x25519: "portable" | "cortex-m4-blob" | "jerryscript-native"; sha2: "portable" | "espruino-crypto" | "jerryscript-native"; aead?: "portable" | "cortex-m4-blob" | "jerryscript-native"; kdf?: "portable" | "cortex-m4-blob" | "jerryscript-native" };
  /** What a reader must know about the board (required when the TRNG is credited 0 bits). */
  notes?: string[];
}
