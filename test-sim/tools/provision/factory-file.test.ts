/**
 * tools/provision/factory-file.ts and its two consumers' checks: `npm run flash -- --factory`
 * (build/flash.node.ts) takes a clear-code file for its own board only; every malformed file is
 * refused with the file and the field named.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFlashArgs } from "../../../build/flash.node.ts";
import { readFactoryFile, validateFactoryFile } from "../../../tools/provision/factory-file.ts";

const clear = { format: "firstlight-factory/1", id: "espruino-linux-0a1b2c3d", board: "espruino-linux", discriminator: 3840, setupCode: "20202021" };
const sealed = { format: "firstlight-factory/1", id: "sim-0a1b2c3d", board: "sim", discriminator: 0, deviceSecret: "ab".repeat(32), sealedSetupCode: "cd".repeat(36) };

test("factory file: the two shapes are read as written", () => {
  assert.deepEqual(validateFactoryFile(clear, "f"), clear);
  assert.deepEqual(validateFactoryFile(sealed, "f"), sealed);
});

test("factory file: every malformed field is named", () => {
  const cases: [unknown, RegExp][] = [
    [[], /f: not a JSON object/],
    [{ ...clear, format: "firstlight-factory/2" }, /"format" is "firstlight-factory\/2"/],
    [{ ...clear, id: "Has Space" }, /"id" is 1…64 of a-z, 0-9 and -/],
    [{ ...clear, board: "" }, /"board" names a board file/],
    [{ ...clear, discriminator: 4096 }, /"discriminator" is an integer 0…4095, got 4096/],
    [{ ...clear, discriminator: "1" }, /"discriminator" is an integer/],
    [{ ...clear, setupCode: "87654321" }, /"setupCode": the setup code 87654321 is a trivial code/],
    [{ ...clear, setupCode: undefined }, /"setupCode" is missing/],
    [{ ...clear, extra: 1 }, /unknown field "extra"/],
    [{ ...sealed, setupCode: "20202021" }, /unknown field "setupCode" beside a sealed code/],
    [{ ...sealed, deviceSecret: "AB".repeat(32) }, /"deviceSecret" is 64 lowercase hex digits/],
    [{ ...sealed, sealedSetupCode: "cd".repeat(35) }, /"sealedSetupCode" is 72 lowercase hex digits \(36 bytes\)/],
    [{ ...sealed, deviceSecret: undefined }, /"deviceSecret"/],
  ];
  for (const [obj, why] of cases) assert.throws(() => validateFactoryFile(JSON.parse(JSON.stringify(obj)), "f"), why, JSON.stringify(obj));
});

test("factory file: flash --factory takes a clear-code file of its own board, nothing else", () => {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-factory-"));
  try {
    const write = (name: string, body: string) => {
      writeFileSync(join(dir, name), body);
      return join(dir, name);
    };
    const ok = write("ok.json", JSON.stringify(clear));
    assert.equal(parseFlashArgs(["--board", "espruino-linux", "--out", "x.js", "--factory", ok]).code, "20202021");
    const bad: [string[], RegExp][] = [
      [["--board", "esp32", "--out", "x.js", "--factory", ok], /--factory: .*ok\.json was provisioned for board espruino-linux, not esp32/],
      [["--board", "sim", "--out", "x.js", "--factory", write("s.json", JSON.stringify(sealed))], /holds a sealed code and a device secret, which no Espruino flashing path can deliver/],
      [["--board", "espruino-linux", "--out", "x.js", "--factory", write("j.json", "{not json")], /--factory: .*j\.json: not JSON/],
      [["--board", "espruino-linux", "--out", "x.js", "--factory", join(dir, "none.json")], /--factory: .*none\.json: cannot read it \(ENOENT\)/],
      [["--board", "espruino-linux", "--out", "x.js", "--factory", ok, "--code", "20202021"], /give one of --code CODE .* or --factory/],
    ];
    for (const [argv, why] of bad) assert.throws(() => parseFlashArgs(argv), why, argv.join(" "));
    assert.throws(() => readFactoryFile(join(dir, "none.json")), /cannot read it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
