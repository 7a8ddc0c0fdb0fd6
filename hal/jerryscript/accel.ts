/**
 * The accelerator on a JerryScript board (hal/accel.ts): X25519 from the Cortex-M kernel's C
 * (ports/cortex-m) that the port links in and registers as `firstlight_native.x25519`. Offered only
 * when the board file asks for "jerryscript-native" and the kernel reproduces RFC 7748 §5.2's first
 * vector; a board file that asks for it on a port without it is refused. ES5.
 */
import type { Accel } from "../accel";
import type { BoardConfig } from "../board-config";
import type { FirstlightNative } from "./native";

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

export function jerryAccel(nat: FirstlightNative, board: BoardConfig): Accel | null {
  if (!board.accel || board.accel.x25519 !== "jerryscript-native") return null;
  var native = nat.x25519;
  if (typeof native !== "function") throw new Error("board " + board.name + " asks for accel.x25519 jerryscript-native, but firstlight_native has no x25519");
  var x25519 = function (out: Uint8Array, scalar: Uint8Array, point: Uint8Array): void {
    (native as (o: Uint8Array, s: Uint8Array, p: Uint8Array) => void).call(nat, out, scalar, point);
  };
  if (!passesKat(x25519)) throw new Error("firstlight_native.x25519 fails RFC 7748's vector: not offered");
  return { name: "jerryscript-native", x25519: x25519 };
}
