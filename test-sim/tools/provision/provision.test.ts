/**
 * tools/provision: a batch of devices gets distinct, valid, never-excluded codes; each label scans
 * (PNG and SVG, read back with jsQR) to the payload of its own code and discriminator; each factory
 * file holds what its board stores, and a sealed code opens with the device's own code
 * (firmware/onboarding/setup-seal.ts) to the code on the label.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isValidSetupCode, parseSetupPayload } from "../../../commissioner/setup-payload.ts";
import { fromHex } from "../../../firmware/crypto/bytes.ts";
import { openSetupSeal } from "../../../firmware/onboarding/setup-seal.ts";
import { simDeviceSecret } from "../../../hal/sim/device-secret.ts";
import { parseProvisionArgs, provision, randomSetupCode } from "../../../tools/provision/cli.node.ts";
import { isSealed, readFactoryFile } from "../../../tools/provision/factory-file.ts";
import QRCode from "qrcode";
import { groupCode, QR_OPTIONS } from "../../../tools/provision/label.ts";
import { readQrPng, readQrSvg } from "./qr-read.ts";

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-provision-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test("provision: N sim devices, distinct valid codes, labels that scan to their payload, codes sealed to their own secret", () =>
  withDir(async (dir) => {
    const N = 12;
    const lines: string[] = [];
    const devices = await provision({ board: "sim", out: dir, count: N }, (l) => lines.push(l));
    assert.equal(devices.length, N);
    assert.equal(lines.length, N);
    assert.equal(new Set(devices.map((d) => d.code)).size, N, "distinct codes");
    assert.equal(new Set(devices.map((d) => d.id)).size, N, "distinct ids");
    assert.equal(readdirSync(dir).length, 4 * N, "four files a device, nothing else");
    const secrets = new Set<string>();
    for (const d of devices) {
      assert.ok(isValidSetupCode(d.code), d.code);
      assert.match(d.id, /^sim-[0-9a-f]{8}$/);
      assert.deepEqual(parseSetupPayload(d.payload), { version: 1, code: d.code, discriminator: d.discriminator });
      const symbol = QRCode.create(d.payload, QR_OPTIONS);
      assert.equal(symbol.version, 1, "a version-1 symbol (21 × 21 modules), as docs/setup-payload.md says");
      assert.deepEqual(symbol.segments.map((x: { mode: { id: string } }) => x.mode.id), ["Alphanumeric"]);
      assert.equal(readQrPng(readFileSync(d.files.png)), d.payload, `${d.files.png} scans to the payload`);
      const svg = readFileSync(d.files.svg, "utf8");
      assert.equal(readQrSvg(svg), d.payload, `${d.files.svg} scans to the payload`);
      assert.ok(svg.includes(`>${groupCode(d.code)}</text>`), "the SVG label shows the code in digits, grouped");
      const txt = readFileSync(d.files.txt, "utf8");
      assert.ok(txt.includes(groupCode(d.code)) && txt.includes(d.payload) && txt.includes(String(d.discriminator)), txt);

      const f = readFactoryFile(d.files.factory);
      assert.equal(statSync(d.files.factory).mode & 0o777, 0o600, "the factory file holds a device secret: 0600");
      assert.ok(isSealed(f));
      assert.equal(f.id, d.id);
      assert.equal(f.discriminator, d.discriminator);
      assert.ok(!readFileSync(d.files.factory, "utf8").includes(d.code), "the code is not in the factory file in clear");
      if (!isSealed(f)) continue;
      secrets.add(f.deviceSecret);
      const opened = openSetupSeal(simDeviceSecret(fromHex(f.deviceSecret)), fromHex(f.sealedSetupCode));
      assert.deepEqual(opened, { code: d.code }, "the device opens the sealed code to the label's code");
      const other = devices.find((x) => x !== d)!;
      const otherSecret = (readFactoryFile(other.files.factory) as { deviceSecret: string }).deviceSecret;
      assert.match(String(openSetupSeal(simDeviceSecret(fromHex(otherSecret)), fromHex(f.sealedSetupCode))), /does not open with this device's secret/);
    }
    assert.equal(secrets.size, N, "a fresh secret per device");
  }));

test("provision: a board without a device secret keeps the code in clear, as the owner's options", () =>
  withDir(async (dir) => {
    const [d] = await provision({ board: "espruino-linux", out: dir, count: 1 });
    const f = readFactoryFile(d.files.factory);
    assert.ok(!isSealed(f));
    assert.deepEqual(f, { format: "firstlight-factory/1", id: d.id, board: "espruino-linux", discriminator: d.discriminator, setupCode: d.code });
    assert.equal(readQrPng(readFileSync(d.files.png)), d.payload);
  }));

test("provision: boards it cannot deliver to are refused before anything is written", () =>
  withDir(async (dir) => {
    await assert.rejects(provision({ board: "nrf52840-jerry", out: join(dir, "j"), count: 1 }), /not wired into the JerryScript port yet/);
    await assert.rejects(provision({ board: "pico", out: join(dir, "p"), count: 1 }), /planned, not built yet/);
    await assert.rejects(provision({ board: "no-such-board", out: join(dir, "n"), count: 1 }), /no-such-board/);
    assert.deepEqual(readdirSync(dir), []);
  }));

test("provision: the CSPRNG's codes are never excluded ones, and spread over the digits", () => {
  const seen = new Set<string>();
  const firstDigits = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const c = randomSetupCode();
    assert.ok(isValidSetupCode(c), c);
    seen.add(c);
    firstDigits.add(c[0]);
  }
  assert.ok(seen.size > 4990, `5000 draws from 10^8 codes repeat rarely (${seen.size} distinct)`);
  assert.equal(firstDigits.size, 10);
});

test("provision: arguments", () => {
  assert.deepEqual(parseProvisionArgs(["--board", "sim", "--out", "/tmp/x", "--count", "3"], {}), { board: "sim", out: "/tmp/x", count: 3 });
  assert.equal(parseProvisionArgs(["--board", "sim"], { FIRSTLIGHT_DIR: "/tmp/fl" }).out, "/tmp/fl/factory");
  for (const [argv, why] of [
    [[], /--board is required/],
    [["--board", "sim", "--count", "0"], /--count is an integer 1…10000, got 0/],
    [["--board", "sim", "--count", "2.5"], /--count is an integer/],
    [["--board", "sim", "--count", "10001"], /--count is an integer/],
    [["--board", "sim", "--colour", "red"], /unknown option --colour/],
    [["--board", "sim", "--board", "sim"], /--board given twice/],
    [["--board"], /--board needs a value/],
  ] as [string[], RegExp][])
    assert.throws(() => parseProvisionArgs(argv, {}), why, argv.join(" "));
});

test("provision: every file that shows the setup code is the owner's alone (0600), in a directory it makes 0700", () =>
  withDir(async (base) => {
    const out = join(base, "factory");
    const old = process.umask(0o022); // the usual umask: without an explicit mode a file would be 0644
    try {
      for (const board of ["sim", "espruino-linux"]) {
        const [d] = await provision({ board, out, count: 1 });
        // The label files carry the code in clear (the QR payload, the grouped digits): until the
        // label is printed and on the device, whoever reads them can pair it.
        for (const f of [d.files.factory, d.files.svg, d.files.png, d.files.txt])
          assert.equal(statSync(f).mode & 0o777, 0o600, `${f} holds the setup code or the device secret: 0600`);
      }
      assert.equal(statSync(out).mode & 0o777, 0o700, "the factory directory it made is the owner's alone");
    } finally {
      process.umask(old);
    }
  }));
