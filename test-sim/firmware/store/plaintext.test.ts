/**
 * No secret in plaintext on flash: every value written (and every name, and the root) is searched
 * for in the raw image after each step of a workload with updates, GC, destroys and a shred.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ROOT, makeFlash, open, valueOf } from "./helpers.ts";
import { deriveKeys } from "../../../firmware/store/keys.ts";
import { decodeSlot, SLOT_A } from "../../../firmware/store/format.ts";

function find(hay: Uint8Array, needle: Uint8Array, min = 8): number {
  const h = Buffer.from(hay);
  // Any 8-byte window of the secret counts (a value split over a page boundary, or a prefix).
  for (let i = 0; i + min <= needle.length; i++) {
    const at = h.indexOf(Buffer.from(needle.subarray(i, i + min)));
    if (at >= 0) return at;
  }
  return -1;
}

test("no value, name, root or derived key appears in the raw flash image", () => {
  const f = makeFlash(512, 5);
  const s = open(f);
  const secrets: Uint8Array[] = [ROOT];
  const names: string[] = [];
  let checks = 0;
  const scan = (why: string) => {
    const img = f.image();
    for (const v of secrets) assert.equal(find(img, v), -1, why + ": a secret is readable on flash");
    for (const n of names) assert.equal(Buffer.from(img).indexOf(Buffer.from("\u0000" + n)), -1, why + ": name " + n);
    for (const n of names) assert.equal(Buffer.from(img).indexOf(Buffer.from(n)), -1, why + ": name " + n);
    const st = s.stats(), slot = decodeSlot(img, st.keyPage * 512 + SLOT_A)!;
    const k = deriveKeys(ROOT, slot.seed);
    assert.equal(find(img, k.aeadKey), -1, why + ": storage key");
    assert.equal(find(img, k.nameKey), -1, why + ": name key");
    checks++;
  };
  for (let i = 0; i < 300; i++) {
    const n = "credential-" + (i % 9);
    if (!names.includes(n)) names.push(n);
    // Low-entropy secrets are the ones a plaintext leak would show: printable, repetitive.
    const v = i % 4 === 0 ? new TextEncoder().encode(`wifi-password-${i}-hunter2hunter2`) : valueOf(n, i, 32);
    secrets.push(v);
    s.put(n, v);
    if (i % 17 === 5) s.remove("credential-" + (i % 5));
    if (i === 200) s.shred();
    if (i % 10 === 0) scan("step " + i);
  }
  scan("end");
  assert.ok(checks > 30);
  assert.ok(f.eraseCounts().reduce((a, b) => a + b, 0) > 20, "the workload garbage-collected");
});
