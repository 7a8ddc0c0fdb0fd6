/**
 * The kernel's C built for RV32IMC (the ESP32-C3's instruction set; build/accel-kernel.ts
 * buildRv32Runner) and run under qemu-riscv32 against the vectors the host and Thumb builds run:
 * RFC 7748 and every Wycheproof X25519 test, Elligator 2, RFC 8439 and Wycheproof ChaCha20-Poly1305,
 * RFC 4231 / RFC 5869 / Wycheproof HMAC and HKDF, and CAVP SHA-256/512. (The DRBG lines are the host
 * and Thumb runners' only.) What it proves: the same C is correct on that core, not that any ESP32
 * firmware can call it (docs/engines.md, "ESP32").
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildRv32Runner } from "../../../build/accel-kernel.ts";
import { aeadCases, elligatorCases, kdfCases, kdfMismatches, mismatches, runLines, shaCases, x25519Cases } from "../cortex-m/runners.ts";

const QEMU = "qemu-riscv32";

test("RV32IMC under qemu-riscv32: X25519 (RFC 7748, Wycheproof), Elligator 2, SHA-256/512 (CAVP)", async () => {
  const runner = buildRv32Runner();
  const cases = [...x25519Cases(), ...(await elligatorCases(20)), ...(await shaCases())];
  assert.ok(cases.length > 900, String(cases.length));
  assert.deepEqual(mismatches(cases, runLines(QEMU, [runner], cases.map((c) => c.line))), []);
});

test("RV32IMC under qemu-riscv32: ChaCha20-Poly1305 (a bad tag zeroes the text), HMAC and HKDF", async () => {
  const runner = buildRv32Runner();
  const aead = aeadCases();
  assert.deepEqual(mismatches(aead, runLines(QEMU, [runner], aead.map((c) => c.line))), []);
  const kdf = (await kdfCases()).filter((c) => !c.line.startsWith("d "));
  assert.ok(kdf.length > 250, String(kdf.length));
  assert.deepEqual(kdfMismatches(kdf, runLines(QEMU, [runner], kdf.map((c) => c.line))), []);
  assert.deepEqual(runLines(QEMU, [runner], ["x 00", "q 00", "2 0g"]), ["error bad line", "error bad line", "error bad line"]);
});
