/**
 * The accelerator on a JerryScript board (hal/accel.ts): the Cortex-M kernel's C (ports/cortex-m)
 * that the port links in and registers on `firstlight_native` (ports/jerryscript/binding/accel.c).
 * The binding's functions have hal/accel.ts's shapes, so the ones offered are the native functions
 * themselves: no JavaScript runs between the firmware and the C (docs/engines.md, "The native
 * accelerator"). What the board file asks for with "jerryscript-native":
 *   accel.x25519: X25519 and CPace's Elligator 2 map;   accel.aead: ChaCha20-Poly1305;
 *   accel.kdf: HMAC-SHA-256, HKDF-SHA-256, the HMAC_DRBG steps;   accel.sha2: one-shot SHA-256/512.
 * Each group is offered only when the port has its functions and they reproduce their known answers
 * (hal/accel-kat.ts); a board file that asks for one on a port without it is refused. ES5.
 */
import type { Accel } from "../accel";
import type { BoardConfig } from "../board-config";
import type { FirstlightNative } from "./native";
import { aeadKat, elligator2Kat, kdfKat, sha2Kat, x25519Kat } from "../accel-kat";

var NATIVE = "jerryscript-native";

/** The binding's functions of a group, or throws naming what the port lacks. */
function members(nat: FirstlightNative, board: BoardConfig, field: string, names: string[]): unknown[] {
  var out: unknown[] = [];
  for (var i = 0; i < names.length; i++) {
    var f = (nat as unknown as { [k: string]: unknown })[names[i]];
    if (typeof f !== "function") throw new Error("board " + board.name + " asks for accel." + field + " " + NATIVE + ", but firstlight_native has no " + names[i]);
    out.push(f);
  }
  return out;
}

function refuse(field: string, why: string | null): void {
  if (why !== null) throw new Error("firstlight_native fails accel." + field + "'s known answer (" + why + "): not offered");
}

export function jerryAccel(nat: FirstlightNative, board: BoardConfig): Accel | null {
  var want = board.accel;
  if (!want) return null;
  var wantX = want.x25519 === NATIVE, wantAead = want.aead === NATIVE, wantKdf = want.kdf === NATIVE, wantSha2 = want.sha2 === NATIVE;
  if (!wantX && !wantAead && !wantKdf && !wantSha2) return null;
  var a: Accel = { name: NATIVE }, m: unknown[];
  if (wantX) {
    m = members(nat, board, "x25519", ["x25519", "elligator2"]);
    a.x25519 = m[0] as NonNullable<Accel["x25519"]>;
    a.elligator2 = m[1] as NonNullable<Accel["elligator2"]>;
    refuse("x25519", x25519Kat(a.x25519) || elligator2Kat(a.elligator2));
  }
  if (wantAead) {
    m = members(nat, board, "aead", ["aeadSeal", "aeadOpen"]);
    a.aead = { seal: m[0] as NonNullable<Accel["aead"]>["seal"], open: m[1] as NonNullable<Accel["aead"]>["open"] };
    refuse("aead", aeadKat(a.aead));
  }
  if (wantKdf) {
    m = members(nat, board, "kdf", ["hmacSha256", "hkdfSha256", "drbgUpdate", "drbgGenerate"]);
    a.hmacSha256 = m[0] as NonNullable<Accel["hmacSha256"]>;
    a.hkdfSha256 = m[1] as NonNullable<Accel["hkdfSha256"]>;
    a.drbg = { update: m[2] as NonNullable<Accel["drbg"]>["update"], generate: m[3] as NonNullable<Accel["drbg"]>["generate"] };
    refuse("kdf", kdfKat(a.hmacSha256, a.hkdfSha256, a.drbg));
  }
  if (wantSha2) {
    m = members(nat, board, "sha2", ["sha256", "sha512"]);
    a.sha256 = m[0] as NonNullable<Accel["sha256"]>;
    a.sha512 = m[1] as NonNullable<Accel["sha512"]>;
    refuse("sha2", sha2Kat(a.sha256, a.sha512));
  }
  return a;
}
