/**
 * The exact bytes of the Cortex-M4 blob (what an Espruino board stores as `fl-accel`) run as Thumb
 * code under Unicorn's Cortex-M4 model: the header, every X25519 vector we hold but the 1 000
 * rounds (kernel-blob-iterated.test.ts), the RFC 8439 and Wycheproof ChaCha20-Poly1305 vectors, HMAC-SHA-256 / HKDF-SHA-256 / HMAC_DRBG
 * against RFC 4231, RFC 5869, Wycheproof and NIST CAVP, at
 * an address that is neither 0 nor page-aligned, the stack left wiped, and the instruction count
 * under the 2 M goal.
 */
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import assert from "node:assert/strict";
import { BLOB_ENTRIES, BLOB_HEADER_BYTES, FULL_ENTRIES, buildCortexBlob, headerBytes, parseBlobHeader } from "../../../build/accel-kernel.ts";
import { crc32 } from "../../../firmware/store/crc32.ts";
import { aeadCases, kdfCases, kdfMismatches, elligatorCases, mismatches, runLines, shaCases, unicornPython, UNICORN_RUNNER, x25519Cases } from "./runners.ts";

const BASE = "0x08024204"; // 4-aligned, as Storage files and flat strings are; not the link address

test("blob header: magic, version, cpu, entries inside the code, CRC-32 of the code", () => {
  const b = buildCortexBlob("cortex-m4");
  const h = parseBlobHeader(b.blob);
  assert.equal(h.cpu, 4);
  assert.equal(b.blob[4], 2);
  assert.equal(b.blob.readUInt16LE(6), BLOB_HEADER_BYTES);
  assert.equal(BLOB_HEADER_BYTES % 4, 0);
  assert.deepEqual(Object.keys(h.entries), [...BLOB_ENTRIES]);
  for (const e of Object.values(h.entries)) {
    assert.ok(e >= BLOB_HEADER_BYTES && e < b.blob.length && e % 2 === 0, String(e));
  }
  assert.equal(new Set(Object.values(h.entries)).size, BLOB_ENTRIES.length);
  assert.equal(h.crc, crc32(new Uint8Array(b.blob), 16, b.blob.length));
  assert.ok(b.blob.length <= 8192, `blob ${b.blob.length} B`);
  assert.ok(b.stackBytes < 2048, `stack ${b.stackBytes} B must stay under the 2 048 B wipe`);
});

test("Cortex-M4 blob under Unicorn: RFC 7748 and all Wycheproof X25519 vectors", () => {
  const b = buildCortexBlob("cortex-m4");
  const cases = x25519Cases();
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", BASE], cases.map((c) => c.line));
  assert.deepEqual(mismatches(cases, out), []);
});

test("Cortex-M4 blob under Unicorn: Elligator 2 against CPace's generator vector and the TypeScript map", async () => {
  const b = buildCortexBlob("cortex-m4");
  const cases = await elligatorCases(100);
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", BASE], cases.map((c) => c.line));
  assert.deepEqual(mismatches(cases, out), []);
});

test("Cortex-M4 blob under Unicorn: RFC 8439 and Wycheproof ChaCha20-Poly1305, seal and open; a bad tag zeroes the text", () => {
  const b = buildCortexBlob("cortex-m4");
  const cases = aeadCases();
  assert.ok(cases.length > 500, String(cases.length));
  assert.ok(cases.some((c) => c.want === "fail") && cases.some((c) => c.line.startsWith("s ")));
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", BASE], cases.map((c) => c.line));
  assert.deepEqual(mismatches(cases, out), []);
});

test("Cortex-M4 blob under Unicorn: AEAD seal and open leave no secret on the stack", () => {
  const b = buildCortexBlob("cortex-m4");
  const cases = aeadCases().slice(0, 6); // RFC 8439's two, sealed, opened and forged
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", BASE, "--count", "--stack-check"], cases.map((c) => c.line));
  assert.deepEqual(mismatches(cases, out), []);
  for (const line of out) {
    const [, count, depth, ...rest] = line.split(" ");
    assert.deepEqual(rest, [], "stack words left: " + line);
    assert.ok(Number(count) > 1000 && Number(count) <= 200_000, line);
    assert.ok(Number(depth.slice(6)) <= 2048 + 64, line);
  }
});

test("Cortex-M4 blob under Unicorn: HMAC-SHA-256, HKDF-SHA-256, HMAC_DRBG against RFC 4231, RFC 5869, Wycheproof, NIST CAVP", async () => {
  const b = buildCortexBlob("cortex-m4");
  const cases = await kdfCases();
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", BASE], cases.map((c) => c.line));
  assert.deepEqual(kdfMismatches(cases, out), []);
});

test("Cortex-M4 blob under Unicorn: HMAC, HKDF and the DRBG steps leave no secret on the stack", () => {
  const b = buildCortexBlob("cortex-m4");
  const lines = [`h ${"0b".repeat(20)} 4869205468657265`, `k ${"00".repeat(32)} ${"11".repeat(32)} - 96`, `k ${"0a".repeat(80)} ${"11".repeat(32)} 0102 42`, `u ${"22".repeat(48)}`, `g ${"33".repeat(7)} 100`];
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", BASE, "--count", "--stack-check"], lines);
  assert.equal(out[0].split(" ")[0], "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  for (const line of out) {
    const [, count, depth, ...rest] = line.split(" ");
    assert.deepEqual(rest, [], "stack words left: " + line);
    assert.ok(Number(count) > 1000 && Number(count) <= 200_000, line);
    assert.ok(Number(depth.slice(6)) <= 2048 + 64, line);
  }
});

test("Cortex-M4 blob under Unicorn: no secret left on the stack, under 2 M instructions a call", async () => {
  const b = buildCortexBlob("cortex-m4");
  const cases = [...x25519Cases().slice(0, 6), ...(await elligatorCases(2))]; // RFC 7748 §5.2, §6.1; Elligator 2
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", BASE, "--count", "--stack-check"], cases.map((c) => c.line));
  assert.deepEqual(mismatches(cases, out), []);
  for (const line of out) {
    const [, count, depth, ...rest] = line.split(" ");
    assert.deepEqual(rest, [], "stack words left: " + line);
    assert.ok(Number(count) > 100_000 && Number(count) <= 2_000_000, line);
    assert.match(depth, /^depth=\d+$/);
    assert.ok(Number(depth.slice(6)) <= 2048 + 64, line);
  }
});

test("the full kernel (the JerryScript port's entries: the blob's and the one-shot hashes): header, and the Espruino blob unchanged inside it", () => {
  const full = buildCortexBlob("cortex-m4", "full"), esp = buildCortexBlob("cortex-m4");
  const h = parseBlobHeader(full.blob);
  assert.deepEqual(Object.keys(h.entries), [...FULL_ENTRIES]);
  assert.equal(full.blob.readUInt16LE(6), headerBytes(FULL_ENTRIES.length));
  assert.equal(h.crc, crc32(new Uint8Array(full.blob), 16, full.blob.length));
  for (const e of Object.values(h.entries)) assert.ok(e! >= 32 && e! < full.blob.length && e! % 2 === 0, String(e));
  assert.ok(full.stackBytes < 2048, `stack ${full.stackBytes} B`);
  assert.ok(esp.blob.length < full.blob.length && esp.entries.fl_sha256 === undefined);
  assert.match(runLines(unicornPython(), [UNICORN_RUNNER, "--blob", esp.file], ["2 616263"])[0], /^error this blob has no one-shot hash entries/);
});

test("full kernel under Unicorn: one-shot SHA-256 and SHA-512 against every NIST CAVP ShortMsg and LongMsg vector", async () => {
  const b = buildCortexBlob("cortex-m4", "full");
  const cases = await shaCases();
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", BASE], cases.map((c) => c.line));
  assert.deepEqual(mismatches(cases, out), []);
});

test("full kernel under Unicorn: every entry leaves no secret on the stack (the hashes on 0, 55, 111, 200 and 1 000 bytes)", async () => {
  const b = buildCortexBlob("cortex-m4", "full");
  const sizes = [0, 55, 111, 200, 1000];
  const lines = [
    ...sizes.flatMap((n) => [`2 ${"5a".repeat(n) || "-"}`, `5 ${"5a".repeat(n) || "-"}`]),
    x25519Cases()[0].line, (await elligatorCases(1))[0].line, aeadCases()[0].line, aeadCases()[1].line,
    `h ${"0b".repeat(20)} 4869205468657265`, `k ${"00".repeat(32)} ${"11".repeat(32)} - 96`, `u ${"22".repeat(48)}`, `g ${"33".repeat(7)} 100`,
  ];
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", b.file, "--base", BASE, "--count", "--stack-check"], lines);
  assert.equal(out[0].split(" ")[0], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (const line of out) {
    const [, count, depth, ...rest] = line.split(" ");
    assert.deepEqual(rest, [], "stack words left: " + line);
    assert.ok(Number(count) > 100 && Number(count) <= 2_000_000, line);
    assert.ok(Number(depth.slice(6)) <= 2048 + 64, line);
  }
});

test("the stack check sees a leak: a blob whose wipe is cut short fails it", () => {
  // The same blob with fl_stack_wipe's first instruction turned into `bx lr`: secrets stay.
  const b = buildCortexBlob("cortex-m4");
  const patched = Buffer.from(b.blob);
  const wipeAt = wipeOffset(b.elf);
  patched.writeUInt16LE(0x4770, BLOB_HEADER_BYTES + wipeAt);
  const file = b.file + ".nowipe-test";
  writeFileSync(file, patched);
  const cases = x25519Cases().slice(0, 1);
  const out = runLines(unicornPython(), [UNICORN_RUNNER, "--blob", file, "--base", BASE, "--stack-check"], cases.map((c) => c.line));
  assert.deepEqual(mismatches(cases, out), []);
  assert.match(out[0], /stack-leak/);
});

function wipeOffset(elf: string): number {
  const nm = execFileSync("arm-none-eabi-nm", [elf], { encoding: "utf8" });
  const m = /^([0-9a-f]+) T fl_stack_wipe$/m.exec(nm);
  assert.ok(m, nm);
  return parseInt(m[1], 16);
}
