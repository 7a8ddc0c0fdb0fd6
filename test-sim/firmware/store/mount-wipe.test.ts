/**
 * Security review of issue 10: a mount that throws (STORE_CORRUPT, STORE_OLD_FORMAT, STORE_ROLLBACK)
 * leaves no copy of the root and no storage key in RAM. Every Uint8Array the store creates during
 * the failed open is tracked; none may still hold the root or the generation's AEAD key.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { openStore } from "../../../firmware/store/index.ts";
import { deriveKeys, derivedSeed } from "../../../firmware/store/keys.ts";
import { PART_B, put32 } from "../../../firmware/store/format.ts";
import { crc32 } from "../../../firmware/store/crc32.ts";
import { ROOT, codeOf, makeFlash, open, valueOf } from "./helpers.ts";

/** Runs fn with every `new Uint8Array(...)` recorded; returns the arrays and fn's error code. */
function tracked(fn: () => void): { arrays: Uint8Array[]; code: string | undefined } {
  const Real = globalThis.Uint8Array;
  const arrays: Uint8Array[] = [];
  class Tracked extends Real {
    static [Symbol.hasInstance](x: unknown) {
      return x instanceof Real;
    }
    constructor(...a: unknown[]) {
      super(...(a as []));
      arrays.push(this);
    }
  }
  (globalThis as { Uint8Array: unknown }).Uint8Array = Tracked;
  let code: string | undefined;
  try {
    code = codeOf(fn);
  } finally {
    (globalThis as { Uint8Array: unknown }).Uint8Array = Real;
  }
  return { arrays, code };
}

function holds(a: Uint8Array, secret: Uint8Array): boolean {
  outer: for (let i = 0; i + secret.length <= a.length; i++) {
    for (let j = 0; j < secret.length; j++) if (a[i + j] !== secret[j]) continue outer;
    return true;
  }
  return false;
}

function assertWiped(arrays: Uint8Array[], what: string, secrets: Uint8Array[]) {
  for (const a of arrays) for (const s of secrets) assert.ok(!holds(a, s), what + ": a " + a.length + "-byte array still holds a secret");
}

test("STORE_ROLLBACK (minVersion above the store's version): the root copy and the keys are wiped before it is thrown", () => {
  const f = makeFlash(512, 4);
  const s = open(f);
  s.put("a", valueOf("a", 1));
  const gen = s.stats().generation;
  s.close();
  const seed = derivedSeed(ROOT, gen), keys = deriveKeys(ROOT, seed);
  const r = tracked(() => openStore(f, ROOT, { minVersion: 99 }));
  assert.equal(r.code, "STORE_ROLLBACK");
  assertWiped(r.arrays, "STORE_ROLLBACK", [ROOT, keys.aeadKey, keys.nameKey, keys.saltKey]);
});

test("STORE_CORRUPT and STORE_OLD_FORMAT: the root copy is wiped before the error is thrown", () => {
  const f = makeFlash(512, 4);
  const s = open(f);
  s.put("a", valueOf("a", 1));
  s.close();
  const img = f.image();
  // Format 1: every page with a role gets version byte 1 under a valid crc.
  const old = img.slice();
  for (let p = 0; p < 4; p++) {
    const o = p * 512 + PART_B;
    if (old[o] !== 0x44 && old[o] !== 0x4b) continue;
    old[o + 1] = 1;
    put32(old, o + 12, crc32(old, o, o + 12));
  }
  f.load(old);
  let r = tracked(() => openStore(f, ROOT));
  assert.equal(r.code, "STORE_OLD_FORMAT");
  assertWiped(r.arrays, "STORE_OLD_FORMAT", [ROOT]);
  // The key page's two slots zeroed: nothing can be decrypted.
  const bad = img.slice();
  for (let p = 0; p < 4; p++) if (bad[p * 512 + PART_B] === 0x4b) bad.fill(0, p * 512 + 64, p * 512 + 256);
  f.load(bad);
  r = tracked(() => openStore(f, ROOT));
  assert.equal(r.code, "STORE_CORRUPT");
  assertWiped(r.arrays, "STORE_CORRUPT", [ROOT]);
});
