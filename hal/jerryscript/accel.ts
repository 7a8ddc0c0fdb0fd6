/**
 * The accelerator on a JerryScript board (hal/accel.ts): X25519 and ChaCha20-Poly1305 from the
 * Cortex-M kernel's C (ports/cortex-m) that the port links in and registers as
 * `firstlight_native.x25519`, `.aeadSeal` and `.aeadOpen`. Each is offered only when the board file
 * asks for "jerryscript-native" (accel.x25519, accel.aead) and the kernel reproduces a known answer
 * (RFC 7748 §5.2's first vector; an AEAD seal, open and refused forgery); a board file that asks for
 * one on a port without it is refused. ES5.
 */
import type { Accel } from "../accel";
import type { BoardConfig } from "../board-config";
import type { FirstlightNative } from "./native";
import { view } from "../../firmware/crypto/bytes";

function hexBytes(h: string): Uint8Array {
  var b = new Uint8Array(h.length / 2);
  for (var i = 0; i < b.length; i++) b[i] = parseInt(h.substring(2 * i, 2 * i + 2), 16);
  return b;
}

/** RFC 7748 §5.2, first X25519 vector: scalar, u-coordinate, result. */
var KAT = [
  "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
];

function passesKat(x25519: (out: Uint8Array, scalar: Uint8Array, point: Uint8Array) => void): boolean {
  var out = new Uint8Array(32), want = hexBytes(KAT[2]), diff = 0;
  x25519(out, hexBytes(KAT[0]), hexBytes(KAT[1]));
  for (var i = 0; i < 32; i++) diff |= out[i] ^ want[i];
  return diff === 0;
}

/** ChaCha20-Poly1305: key 00…1f, nonce 00…0b, aad "abc", plaintext "firstlight" → ct ‖ tag (@noble/ciphers). */
var AEAD_KAT = "ef927a735d7bcc27dff77909951c6f2985bc5e76b4c6ea2a09d0";

type AeadNative = (buf: Uint8Array, aadLen: number, len: number) => boolean | undefined;

/** The native AEAD over one buffer key ‖ nonce ‖ aad ‖ text ‖ tag, zeroed after each call. */
export function jerryAead(nat: FirstlightNative): NonNullable<Accel["aead"]> {
  var seal = nat.aeadSeal as AeadNative, open = nat.aeadOpen as AeadNative;
  function run(fn: AeadNative, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, text: Uint8Array, n: number): Uint8Array | null {
    var at = 44 + aad.length, buf = new Uint8Array(at + n + 16);
    buf.set(key, 0);
    buf.set(nonce, 32);
    buf.set(aad, 44);
    buf.set(text, at);
    try {
      var ok = fn.call(nat, buf, aad.length, n);
      if (fn === open && ok !== true) return null;
      var r = new Uint8Array(fn === seal ? n + 16 : n);
      r.set(view(buf, at, at + r.length));
      return r;
    } finally {
      buf.set(new Uint8Array(buf.length));
    }
  }
  return {
    seal: function (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
      return run(seal, key, nonce, aad, plaintext, plaintext.length) as Uint8Array;
    },
    open: function (key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | null {
      return run(open, key, nonce, aad, sealed, sealed.length - 16);
    },
  };
}

function toHexString(b: Uint8Array): string {
  var s = "";
  for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
  return s;
}

/** Seal of the known answer, open of it, and a refused forgery. */
export function aeadPassesKat(aead: NonNullable<Accel["aead"]>): boolean {
  var key = new Uint8Array(32), nonce = new Uint8Array(12), aad = new Uint8Array([97, 98, 99]);
  var pt = new Uint8Array([102, 105, 114, 115, 116, 108, 105, 103, 104, 116]);
  for (var i = 0; i < 32; i++) key[i] = i;
  for (i = 0; i < 12; i++) nonce[i] = i;
  var sealed = aead.seal(key, nonce, pt, aad);
  if (toHexString(sealed) !== AEAD_KAT) return false;
  var back = aead.open(key, nonce, sealed, aad);
  if (back === null || toHexString(back) !== toHexString(pt)) return false;
  sealed[0] ^= 1;
  return aead.open(key, nonce, sealed, aad) === null;
}

export function jerryAccel(nat: FirstlightNative, board: BoardConfig): Accel | null {
  var want = board.accel;
  var wantX = !!want && want.x25519 === "jerryscript-native", wantAead = !!want && want.aead === "jerryscript-native";
  if (!wantX && !wantAead) return null;
  var a: Accel = { name: "jerryscript-native" };
  if (wantX) {
    var native = nat.x25519;
    if (typeof native !== "function") throw new Error("board " + board.name + " asks for accel.x25519 jerryscript-native, but firstlight_native has no x25519");
    var x25519 = function (out: Uint8Array, scalar: Uint8Array, point: Uint8Array): void {
      (native as (o: Uint8Array, s: Uint8Array, p: Uint8Array) => void).call(nat, out, scalar, point);
    };
    if (!passesKat(x25519)) throw new Error("firstlight_native.x25519 fails RFC 7748's vector: not offered");
    a.x25519 = x25519;
  }
  if (wantAead) {
    if (typeof nat.aeadSeal !== "function" || typeof nat.aeadOpen !== "function") throw new Error("board " + board.name + " asks for accel.aead jerryscript-native, but firstlight_native has no aeadSeal/aeadOpen");
    var aead = jerryAead(nat);
    if (!aeadPassesKat(aead)) throw new Error("firstlight_native.aeadSeal/aeadOpen fail the ChaCha20-Poly1305 known answer: not offered");
    a.aead = aead;
  }
  return a;
}
