/**
 * The Espruino accelerator (hal/accel.ts): the Cortex-M kernel of ports/cortex-m through
 * E.nativeCall, and require("crypto")'s native SHA-256/SHA-512, as the board file's `accel` says.
 *
 * The kernel (X25519, CPace's Elligator 2 map, ChaCha20-Poly1305, HMAC/HKDF-SHA-256, the HMAC_DRBG
 * steps) is the Storage file `fl-accel` (docs/accel-blob.md): a 28-byte header, then Thumb code. Where Storage is memory-mapped flash (nRF52, STM32), E.getAddressOf gives the file's
 * address and the code runs from flash; elsewhere it is copied once into a flat string in RAM,
 * placed so that the code starts on a 4-byte boundary (its literal loads assume it).
 * Every call copies the arguments into flat 32-byte buffers made at start, passes their addresses
 * as the `int`s of "void(int,int,int)" (X25519: out, scalar, point in r0-r2) or "void(int,int)"
 * (Elligator 2: out, r), copies the result out and zeroes the buffers. The AEAD, HMAC, HKDF and
 * DRBG calls pack their inputs into one flat work buffer (grown when a message needs it) as
 * ports/cortex-m/firstlight_accel.h lays them out, and pass its address and the lengths; the buffer
 * is zeroed after every call. Nothing is offered before it has passed a known-answer check. ES5.
 */
import type { Accel } from "../accel";
import type { BoardConfig } from "../board-config";
import { crc32 } from "../../firmware/store/crc32";
import { fromHex, toHex, view } from "../../firmware/crypto/bytes";

export var ACCEL_STORAGE_NAME = "fl-accel";
export var ACCEL_SIGNATURE = "void(int,int,int)";
export var ELLIGATOR_SIGNATURE = "void(int,int)";
export var AEAD_SEAL_SIGNATURE = "void(int,int,int)";
export var AEAD_OPEN_SIGNATURE = "int(int,int,int)";
/** The header of a version 2 blob: 16 fixed bytes, then the entries after the first two. */
var HEADER = 28;
export var KDF_SIGNATURE = "void(int,int,int)";
export var DRBG_UPDATE_SIGNATURE = "void(int,int)";
/** HKDF packs two lengths to an int: each part at most 65 535 bytes. */
var HKDF_PART_MAX = 65535;
var MAGIC = "FLAK";
var VERSION = 2;
/** Key ‖ nonce in front of the AEAD buffer, the tag after its text. */
var AEAD_PREFIX = 44;
var TAG = 16;

/** The parts of Espruino the accelerator uses (hal/espruino/env.ts style: tests pass fakes). */
export interface EspruinoAccelEnv {
  E: {
    nativeCall?: (addr: number, sig: string, data?: string) => (a: number, b: number, c?: number) => number | undefined;
    getAddressOf?: (v: unknown, flatAddress: boolean) => number;
    toFlatString?: (v: unknown) => string | undefined;
    toArrayBuffer?: (s: string) => ArrayBuffer;
    defrag?: () => void;
  };
  /** require("Storage"), or null where the firmware has none. */
  storage: { read(name: string): string | undefined; write(name: string, data: string): boolean } | null;
  /** require("crypto"), or null where the build has no CRYPTO library. */
  crypto: { SHA256?: (d: Uint8Array) => ArrayBuffer; SHA512?: (d: Uint8Array) => ArrayBuffer } | null;
}

function accelError(msg: string): Error {
  var e = new Error(msg) as Error & { code: string };
  e.code = "ACCEL_UNAVAILABLE";
  return e;
}

function bytesOfString(s: string, start: number, end: number): Uint8Array {
  var b = new Uint8Array(end - start);
  for (var i = start; i < end; i++) b[i - start] = s.charCodeAt(i) & 255;
  return b;
}

function u16(s: string, at: number): number {
  return (s.charCodeAt(at) & 255) | ((s.charCodeAt(at + 1) & 255) << 8);
}

/** The blob's entry points: where each offset sits in the header, and its name for errors. */
var ENTRY_FIELDS: [string, number, string][] = [["x25519", 8, "X25519"], ["elligator2", 10, "Elligator 2"], ["aeadSeal", 16, "AEAD seal"], ["aeadOpen", 18, "AEAD open"],
  ["hmac", 20, "HMAC-SHA-256"], ["hkdf", 22, "HKDF-SHA-256"], ["drbgUpdate", 24, "HMAC_DRBG update"], ["drbgGenerate", 26, "HMAC_DRBG generate"]];

export interface AccelEntries { x25519: number; elligator2: number; aeadSeal: number; aeadOpen: number; hmac: number; hkdf: number; drbgUpdate: number; drbgGenerate: number }

/** Checks a blob (as the Storage string) and returns its entry offsets, or throws why not. */
export function checkAccelBlob(code: string | undefined): AccelEntries {
  if (typeof code !== "string" || code.length <= HEADER) throw accelError("Storage file " + ACCEL_STORAGE_NAME + " is missing: install the kernel (dist/accel/fl-accel-cortex-m4.js)");
  if (code.substring(0, 4) !== MAGIC || code.charCodeAt(4) !== VERSION) throw accelError(ACCEL_STORAGE_NAME + " is not a version " + VERSION + " kernel blob (magic FLAK): install the kernel of this image (dist/accel/fl-accel-cortex-m4.js)");
  if (code.charCodeAt(5) !== 4) throw accelError(ACCEL_STORAGE_NAME + " is built for cpu " + code.charCodeAt(5) + ", this board needs 4 (Cortex-M4)");
  if (u16(code, 6) !== HEADER) throw accelError(ACCEL_STORAGE_NAME + ": header length " + u16(code, 6) + ", expected " + HEADER);
  var entries: { [k: string]: number } = {};
  for (var i = 0; i < ENTRY_FIELDS.length; i++) {
    var e = u16(code, ENTRY_FIELDS[i][1]);
    if (e < HEADER || e >= code.length || e & 1) throw accelError(ACCEL_STORAGE_NAME + ": " + ENTRY_FIELDS[i][2] + " entry " + e + " is outside the code");
    entries[ENTRY_FIELDS[i][0]] = e;
  }
  var want = ((code.charCodeAt(12) & 255) | ((code.charCodeAt(13) & 255) << 8) | ((code.charCodeAt(14) & 255) << 16) | ((code.charCodeAt(15) & 255) << 24)) >>> 0;
  var got = crc32(bytesOfString(code, 16, code.length), 0, code.length - 16);
  if (got !== want) throw accelError(ACCEL_STORAGE_NAME + ": CRC-32 of the code is " + got.toString(16) + ", the header says " + want.toString(16) + " (damaged file)");
  return entries as unknown as AccelEntries;
}

/** Writes the blob to Storage unless the same bytes are already there. Returns true if it wrote. */
export function installAccelBlob(storage: { read(name: string): string | undefined; write(name: string, data: string): boolean }, blob: string): boolean {
  checkAccelBlob(blob);
  if (storage.read(ACCEL_STORAGE_NAME) === blob) return false;
  if (!storage.write(ACCEL_STORAGE_NAME, blob)) throw accelError("Storage refused to write " + ACCEL_STORAGE_NAME + " (" + blob.length + " bytes)");
  return true;
}

/** An n-byte Uint8Array over a flat string, so that E.getAddressOf gives the address of its bytes. */
function flatBytes(env: EspruinoAccelEnv, n: number): Uint8Array {
  var E = env.E;
  var s = (E.toFlatString as (v: unknown) => string | undefined)(new Uint8Array(n));
  if (s === undefined) throw accelError("no memory for a flat " + n + "-byte buffer");
  var b = new Uint8Array((E.toArrayBuffer as (s: string) => ArrayBuffer)(s));
  if (!(E.getAddressOf as (v: unknown, f: boolean) => number)(b, true)) throw accelError("E.toFlatString did not give a flat buffer");
  return b;
}

/**
 * The kernel blob's functions as Accel members, each checked on a known answer; or throws
 * ACCEL_UNAVAILABLE saying why not.
 */
export interface EspruinoKernel {
  x25519: (out: Uint8Array, scalar: Uint8Array, point: Uint8Array) => void;
  elligator2: (out: Uint8Array, r: Uint8Array) => void;
  aead: NonNullable<Accel["aead"]>;
  hmacSha256: NonNullable<Accel["hmacSha256"]>;
  hkdfSha256: NonNullable<Accel["hkdfSha256"]>;
  drbg: NonNullable<Accel["drbg"]>;
}

export function espruinoKernel(env: EspruinoAccelEnv): EspruinoKernel {
  var E = env.E;
  if (typeof E.nativeCall !== "function") throw accelError("E.nativeCall is missing: this Espruino build cannot call machine code (it needs a build without SAVE_ON_FLASH)");
  if (typeof E.getAddressOf !== "function" || typeof E.toFlatString !== "function" || typeof E.toArrayBuffer !== "function")
    throw accelError("E.getAddressOf, E.toFlatString or E.toArrayBuffer is missing");
  if (!env.storage) throw accelError("require(\"Storage\") is missing");
  var k = kernelCalls(env, checkAccelBlob(env.storage.read(ACCEL_STORAGE_NAME)));
  var got = new Uint8Array(32);
  k.x25519(got, fromHex(KAT[0]), fromHex(KAT[1]));
  if (toHex(got) !== KAT[2]) throw accelError("the kernel's X25519 gave " + toHex(got) + " for RFC 7748 §5.2's first vector");
  k.elligator2(got, fromHex(KAT[3]));
  if (toHex(got) !== KAT[4]) throw accelError("the kernel's Elligator 2 gave " + toHex(got) + " for CPace's generator vector");
  checkAeadKat(k.aead);
  checkKdfKat(k.hmacSha256, k.hkdfSha256, k.drbg);
  return k;
}

/**
 * The calls alone, for a blob whose header has been checked (espruinoKernel adds the environment
 * checks and the known answers; the bench drives these with a stub E.nativeCall to measure what
 * the interpreter does around each native call).
 */
export function kernelCalls(env: EspruinoAccelEnv, entries: AccelEntries): EspruinoKernel {
  var E = env.E;
  var storage = env.storage as NonNullable<EspruinoAccelEnv["storage"]>, nativeCall = E.nativeCall as NonNullable<EspruinoAccelEnv["E"]["nativeCall"]>;
  var addressOf = E.getAddressOf as (v: unknown, f: boolean) => number;
  var OUT = flatBytes(env, 32), K = flatBytes(env, 32), U = flatBytes(env, 32);
  var ram: string | null = null, ramPad = 0;

  /** A flat copy; a flat string needs contiguous blocks, so a failure is retried once after E.defrag. */
  function flatString(v: string): string | undefined {
    var f = (E.toFlatString as (v: unknown) => string | undefined)(v);
    if (f === undefined && typeof E.defrag === "function") {
      E.defrag();
      f = (E.toFlatString as (v: unknown) => string | undefined)(v);
    }
    return f;
  }

  /** A native function of the blob: from flash when Storage is mapped, else from an aligned copy in RAM. */
  function kernel(entry: number, sig: string): (a: number, b: number, c?: number) => number | undefined {
    var code = storage.read(ACCEL_STORAGE_NAME) as string;
    var at = addressOf(code, true);
    if (at) {
      if (at & 3) throw accelError(ACCEL_STORAGE_NAME + " is at 0x" + at.toString(16) + ", not 4-byte aligned");
      return nativeCall(at + entry + 1, sig);
    }
    if (ram === null || (addressOf(ram, true) + ramPad) & 3) {
      var probe = flatString(code);
      if (probe === undefined) throw accelError("no memory for a " + code.length + "-byte copy of the kernel");
      ramPad = (4 - (addressOf(probe, true) & 3)) & 3;
      probe = undefined;
      ram = flatString("\0\0\0".substring(0, ramPad) + code) || null;
      if (ram === null || (addressOf(ram, true) + ramPad) & 3) throw accelError("cannot place the kernel on a 4-byte boundary in RAM");
    }
    return nativeCall(ramPad + entry + 1, sig, ram);
  }

  /** Zeroes the argument buffers: one native copy each (a byte loop costs more than the call). */
  function zero(): void {
    var z = new Uint8Array(32);
    OUT.set(z);
    K.set(z);
    U.set(z);
  }

  var x25519 = function (out: Uint8Array, scalar: Uint8Array, point: Uint8Array): void {
    K.set(scalar);
    U.set(point);
    try {
      kernel(entries.x25519, ACCEL_SIGNATURE)(addressOf(OUT, true), addressOf(K, true), addressOf(U, true));
      out.set(OUT);
    } finally {
      zero();
    }
  };
  var elligator2 = function (out: Uint8Array, r: Uint8Array): void {
    K.set(view(r, 0, 32));
    try {
      kernel(entries.elligator2, ELLIGATOR_SIGNATURE)(addressOf(OUT, true), addressOf(K, true));
      out.set(OUT);
    } finally {
      zero();
    }
  };
  /** The flat work buffer of the AEAD, HMAC, HKDF and DRBG calls, at least `n` bytes: grown (a new flat string) when a message needs it. */
  var aeadBuf: Uint8Array | null = null;
  function aeadBuffer(n: number): Uint8Array {
    if (aeadBuf === null || aeadBuf.length < n) {
      aeadBuf = null;
      aeadBuf = flatBytes(env, n < 256 ? 256 : n);
    }
    return aeadBuf;
  }
  /** key ‖ nonce ‖ aad ‖ text into the buffer; returns where the text starts. */
  function aeadLoad(B: Uint8Array, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, text: Uint8Array): number {
    B.set(key, 0);
    B.set(nonce, 32);
    B.set(aad, AEAD_PREFIX);
    B.set(text, AEAD_PREFIX + aad.length);
    return AEAD_PREFIX + aad.length;
  }
  function copyOut(B: Uint8Array, from: number, n: number): Uint8Array {
    var r = new Uint8Array(n);
    r.set(view(B, from, from + n));
    return r;
  }
  var aead = {
    seal: function (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
      var used = AEAD_PREFIX + aad.length + plaintext.length + TAG, B = aeadBuffer(used);
      try {
        var at = aeadLoad(B, key, nonce, aad, plaintext);
        kernel(entries.aeadSeal, AEAD_SEAL_SIGNATURE)(addressOf(B, true), aad.length, plaintext.length);
        return copyOut(B, at, plaintext.length + TAG);
      } finally {
        B.set(new Uint8Array(used));
      }
    },
    open: function (key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | null {
      var n = sealed.length - TAG, used = AEAD_PREFIX + aad.length + sealed.length, B = aeadBuffer(used);
      try {
        var at = aeadLoad(B, key, nonce, aad, sealed);
        var ok = kernel(entries.aeadOpen, AEAD_OPEN_SIGNATURE)(addressOf(B, true), aad.length, n);
        return ok === 1 ? copyOut(B, at, n) : null;
      } finally {
        B.set(new Uint8Array(used));
      }
    },
  };
  /** Parts one after another into the work buffer from `at`; returns where they end. */
  function put(B: Uint8Array, at: number, parts: Uint8Array[]): number {
    for (var i = 0; i < parts.length; i++) {
      B.set(parts[i], at);
      at += parts[i].length;
    }
    return at;
  }
  function total(parts: Uint8Array[]): number {
    var n = 0;
    for (var i = 0; i < parts.length; i++) n += parts[i].length;
    return n;
  }
  var hmacSha256 = function (key: Uint8Array, data: Uint8Array): Uint8Array {
    var used = key.length + data.length + 32, B = aeadBuffer(used);
    try {
      var at = put(B, 0, [key, data]);
      kernel(entries.hmac, KDF_SIGNATURE)(addressOf(B, true), key.length, data.length);
      return copyOut(B, at, 32);
    } finally {
      B.set(new Uint8Array(used));
    }
  };
  var hkdfSha256 = function (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
    if (salt.length > HKDF_PART_MAX || ikm.length > HKDF_PART_MAX || info.length > HKDF_PART_MAX) throw accelError("the kernel's HKDF takes salt, ikm and info of at most " + HKDF_PART_MAX + " bytes each");
    var used = salt.length + ikm.length + info.length + length, B = aeadBuffer(used);
    try {
      var at = put(B, 0, [salt, ikm, info]);
      kernel(entries.hkdf, KDF_SIGNATURE)(addressOf(B, true), salt.length | (ikm.length << 16), info.length | (length << 16));
      return copyOut(B, at, length);
    } finally {
      B.set(new Uint8Array(used));
    }
  };
  var drbg = {
    update: function (K: Uint8Array, V: Uint8Array, parts: Uint8Array[]): void {
      var n = total(parts), used = 64 + n, B = aeadBuffer(used);
      try {
        put(B, 0, [K, V]);
        put(B, 64, parts);
        kernel(entries.drbgUpdate, DRBG_UPDATE_SIGNATURE)(addressOf(B, true), n);
        K.set(view(B, 0, 32));
        V.set(view(B, 32, 64));
      } finally {
        B.set(new Uint8Array(used));
      }
    },
    generate: function (K: Uint8Array, V: Uint8Array, n: number, additional: Uint8Array): Uint8Array {
      var used = 64 + additional.length + n, B = aeadBuffer(used);
      try {
        var at = put(B, 0, [K, V, additional]);
        kernel(entries.drbgGenerate, KDF_SIGNATURE)(addressOf(B, true), n, additional.length);
        K.set(view(B, 0, 32));
        V.set(view(B, 32, 64));
        return copyOut(B, at, n);
      } finally {
        B.set(new Uint8Array(used));
      }
    },
  };
  return { x25519: x25519, elligator2: elligator2, aead: aead, hmacSha256: hmacSha256, hkdfSha256: hkdfSha256, drbg: drbg };
}

/**
 * RFC 7748 §5.2's first vector (scalar, u, output), then draft-irtf-cfrg-cpace-21's X25519
 * generator vector (the hash of the generator string, g).
 */
var KAT = [
  "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
  "03998087bdb1a2617bbe25ef5a7c18cd4f84f902328701790958755ee4aed1d3",
  "d04bf6d41f6a289632a2e929fa29bebd51092512a7829fdde7d314b62f05a73f",
];

/**
 * ChaCha20-Poly1305 known answer: key 00 01 … 1f, nonce 00 01 … 0b, aad "abc", plaintext
 * "firstlight" → ciphertext ‖ tag (computed with @noble/ciphers; RFC 8439 §2.8). Open must give the
 * plaintext back and refuse the same bytes with the last tag bit flipped.
 */
var AEAD_KAT = "ef927a735d7bcc27dff77909951c6f2985bc5e76b4c6ea2a09d0";

function checkAeadKat(aead: EspruinoKernel["aead"]): void {
  var key = new Uint8Array(32), nonce = new Uint8Array(12), pt = new Uint8Array([102, 105, 114, 115, 116, 108, 105, 103, 104, 116]);
  for (var i = 0; i < 32; i++) key[i] = i;
  for (i = 0; i < 12; i++) nonce[i] = i;
  var sealed = aead.seal(key, nonce, pt, ABC);
  if (toHex(sealed) !== AEAD_KAT) throw accelError("the kernel's AEAD seal gave " + toHex(sealed) + " for the known answer");
  var back = aead.open(key, nonce, sealed, ABC);
  if (back === null || toHex(back) !== toHex(pt)) throw accelError("the kernel's AEAD open did not give the known plaintext back");
  sealed[sealed.length - 1] ^= 1;
  if (aead.open(key, nonce, sealed, ABC) !== null) throw accelError("the kernel's AEAD open accepted a forged tag");
}

/**
 * RFC 4231 test case 1 (key 0b×20, "Hi There"), RFC 5869 test case 1 (its 42 bytes), and NIST CAVP
 * HMAC_DRBG SHA-256 pr_false COUNT 0 (the first 8 of its 128 bytes).
 */
var KDF_KAT = [
  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
  "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
  "06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d", "0e66f71edc43e42a45ad3c6fc6cdc4df",
  "01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552", "76fc79fe9b50becc",
];

function filled(n: number, v: number): Uint8Array {
  var b = new Uint8Array(n);
  for (var i = 0; i < n; i++) b[i] = v;
  return b;
}

function checkKdfKat(hmac: EspruinoKernel["hmacSha256"], hkdf: EspruinoKernel["hkdfSha256"], drbg: EspruinoKernel["drbg"]): void {
  var h = toHex(hmac(filled(20, 11), new Uint8Array([72, 105, 32, 84, 104, 101, 114, 101])));
  if (h !== KDF_KAT[0]) throw accelError("the kernel's HMAC-SHA-256 gave " + h + " for RFC 4231's first test");
  var salt = new Uint8Array(13), info = new Uint8Array(10);
  for (var i = 0; i < 13; i++) salt[i] = i;
  for (i = 0; i < 10; i++) info[i] = 0xf0 + i;
  h = toHex(hkdf(filled(22, 11), salt, info, 42));
  if (h !== KDF_KAT[1]) throw accelError("the kernel's HKDF-SHA-256 gave " + h + " for RFC 5869's first test");
  var K = new Uint8Array(32), V = filled(32, 1), none = new Uint8Array(0);
  drbg.update(K, V, [fromHex(KDF_KAT[2]), fromHex(KDF_KAT[3])]);
  drbg.update(K, V, [fromHex(KDF_KAT[4])]);
  drbg.generate(K, V, 128, none);
  h = toHex(drbg.generate(K, V, 128, none)).substring(0, 16);
  if (h !== KDF_KAT[5]) throw accelError("the kernel's HMAC_DRBG gave " + h + "… for CAVP pr_false COUNT 0");
}

var ABC = new Uint8Array([97, 98, 99]);
/** FIPS 180-2 "abc" digests, first and last 4 bytes (hex). */
var SHA256_ABC = ["ba7816bf", "f20015ad"];
var SHA512_ABC = ["ddaf35a1", "a54ca49f"];

function hex4(b: Uint8Array, at: number): string {
  var s = "";
  for (var i = at; i < at + 4; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
  return s;
}

/** A native one-shot hash, checked on "abc" and on the empty message length; or throws why not. */
function espruinoHash(env: EspruinoAccelEnv, name: "SHA256" | "SHA512", abc: string[], len: number): (d: Uint8Array) => Uint8Array {
  var c = env.crypto;
  var fn = c ? c[name] : undefined;
  if (!c || typeof fn !== "function") throw accelError("require(\"crypto\")." + name + " is missing: this build has no CRYPTO/" + name);
  var h = fn as (d: Uint8Array) => ArrayBuffer;
  var r = new Uint8Array(h(ABC));
  if (r.length !== len || hex4(r, 0) !== abc[0] || hex4(r, len - 4) !== abc[1]) throw accelError("require(\"crypto\")." + name + "(\"abc\") gave a wrong digest");
  if (new Uint8Array(h(new Uint8Array(0))).length !== len) throw accelError("require(\"crypto\")." + name + " of an empty message failed");
  return function (d: Uint8Array): Uint8Array {
    return new Uint8Array(h(d));
  };
}

/**
 * The board file's accelerator. Throws ACCEL_UNAVAILABLE (with what is missing) when the file asks
 * for something this firmware build or its Storage lacks; a board file that asks for nothing gets
 * the portable code.
 */
export function espruinoAccel(board: BoardConfig, env: EspruinoAccelEnv): Accel {
  var want = board.accel || { x25519: "portable", sha2: "portable" };
  var aeadWant = want.aead || "portable", kdfWant = want.kdf || "portable";
  var a: Accel = { name: want.x25519 + "+" + want.sha2 + (aeadWant !== "portable" ? "+aead:" + aeadWant : "") + (kdfWant !== "portable" ? "+kdf:" + kdfWant : "") };
  if (want.x25519 !== "portable" && want.x25519 !== "cortex-m4-blob") throw accelError("accel.x25519 \"" + want.x25519 + "\" is not an Espruino accelerator");
  if (aeadWant !== "portable" && aeadWant !== "cortex-m4-blob") throw accelError("accel.aead \"" + aeadWant + "\" is not an Espruino accelerator");
  if (kdfWant !== "portable" && kdfWant !== "cortex-m4-blob") throw accelError("accel.kdf \"" + kdfWant + "\" is not an Espruino accelerator");
  var k = want.x25519 === "cortex-m4-blob" || aeadWant === "cortex-m4-blob" || kdfWant === "cortex-m4-blob" ? espruinoKernel(env) : null;
  if (k && want.x25519 === "cortex-m4-blob") {
    a.x25519 = k.x25519;
    a.elligator2 = k.elligator2;
  }
  if (k && aeadWant === "cortex-m4-blob") a.aead = k.aead;
  if (k && kdfWant === "cortex-m4-blob") {
    a.hmacSha256 = k.hmacSha256;
    a.hkdfSha256 = k.hkdfSha256;
    a.drbg = k.drbg;
  }
  if (want.sha2 === "espruino-crypto") {
    a.sha256 = espruinoHash(env, "SHA256", SHA256_ABC, 32);
    a.sha512 = espruinoHash(env, "SHA512", SHA512_ABC, 64);
  } else if (want.sha2 !== "portable") throw accelError("accel.sha2 \"" + want.sha2 + "\" is not an Espruino accelerator");
  return a;
}
