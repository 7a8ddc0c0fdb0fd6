/**
 * The kernel's C built for the host (gcc) against every X25519 vector we hold: RFC 7748 §5.2,
 * §6.1, the 1 and 1 000 iteration results, and Wycheproof's 518 tests; the ChaCha20-Poly1305
 * AEAD against RFC 8439 and Wycheproof; HMAC-SHA-256, HKDF-SHA-256 and HMAC_DRBG against RFC 4231,
 * RFC 5869, Wycheproof and NIST CAVP; the one-shot SHA-256 and SHA-512 against NIST CAVP's ShortMsg
 * and LongMsg. (The 1 000 000 iteration
 * result runs in kernel-host-million.soak.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildHostKernel } from "../../../build/accel-kernel.ts";
import { aeadCases, kdfCases, kdfMismatches, elligatorCases, iteratedCases, mismatches, runLines, shaCases, x25519Cases } from "./runners.ts";

test("host build: RFC 7748 and all Wycheproof X25519 vectors", () => {
  const { runner } = buildHostKernel();
  const cases = x25519Cases();
  assert.ok(cases.length >= 524, String(cases.length));
  assert.deepEqual(mismatches(cases, runLines(runner, [], cases.map((c) => c.line))), []);
});

test("host build: RFC 7748 §5.2 iterated, 1 and 1 000 rounds", () => {
  const { runner } = buildHostKernel();
  const its = iteratedCases(1000);
  assert.equal(its.length, 2);
  assert.deepEqual(runLines(runner, [], its.map((c) => `i ${c.n}`)), its.map((c) => c.want));
});

test("host build: Elligator 2 against CPace's generator vector and the TypeScript map", async () => {
  const { runner } = buildHostKernel();
  const cases = await elligatorCases(300);
  assert.deepEqual(mismatches(cases, runLines(runner, [], cases.map((c) => c.line))), []);
});

test("host build: RFC 8439 and Wycheproof ChaCha20-Poly1305, seal and open; a bad tag zeroes the text", () => {
  const { runner } = buildHostKernel();
  const cases = aeadCases();
  assert.ok(cases.length > 500, String(cases.length));
  assert.deepEqual(mismatches(cases, runLines(runner, [], cases.map((c) => c.line))), []);
});

test("host build: HMAC-SHA-256, HKDF-SHA-256 and HMAC_DRBG against RFC 4231, RFC 5869, Wycheproof and NIST CAVP", async () => {
  const { runner } = buildHostKernel();
  const cases = await kdfCases();
  assert.ok(cases.length > 500, String(cases.length));
  assert.deepEqual(kdfMismatches(cases, runLines(runner, [], cases.map((c) => c.line))), []);
});

test("host build: one-shot SHA-256 and SHA-512 against every NIST CAVP ShortMsg and LongMsg vector", async () => {
  const { runner } = buildHostKernel();
  const cases = await shaCases();
  assert.equal(cases.length, 386, "65 + 64 SHA-256 and 129 + 128 SHA-512 vectors");
  assert.deepEqual(mismatches(cases, runLines(runner, [], cases.map((c) => c.line))), []);
});

test("host build: HKDF refuses more than 255·32 bytes (Wycheproof's invalid sizes) and writes nothing", () => {
  const { runner } = buildHostKernel();
  assert.deepEqual(runLines(runner, [], ["k - 00 - 8161", "k - 00 - 8160"]).map((l) => l.length), ["error bad line".length, 8160 * 2]);
});

test("host build: a bad line is refused and the runner goes on", () => {
  const { runner } = buildHostKernel();
  const out = runLines(runner, [], ["x 00", "b " + "00".repeat(32), "s 00 00 - -", "o " + "00".repeat(32) + " " + "00".repeat(12) + " - 00"]);
  assert.equal(out[0], "error bad line");
  assert.match(out[1], /^[0-9a-f]{64}$/);
  assert.deepEqual(out.slice(2), ["error bad line", "error bad line"]);
});
