import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBoard } from "../../build/boards.ts";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flash, parseFlashArgs, storageFit } from "../../build/flash.node.ts";

test("npm run flash: options are checked before anything is written", () => {
  assert.deepEqual(parseFlashArgs(["--board", "puckjs", "--port", "aa:bb:cc:dd:ee:ff", "--code", "31415926"]), { board: "puckjs", port: "aa:bb:cc:dd:ee:ff", code: "31415926" });
  assert.equal(parseFlashArgs(["--board", "esp32", "--port", "/dev/ttyUSB0", "--code", "31415926", "--window-ms", "900000"]).windowMs, 900000);
  const bad: [string[], RegExp][] = [
    [["--board", "puckjs", "--code", "31415926"], /give one of --port PORT .* or --out FILE/],
    [["--board", "puckjs", "--port", "p", "--out", "f", "--code", "31415926"], /give one of --port/],
    [["--board", "puckjs", "--port", "p"], /give one of --code CODE .* or --factory DIR\/ID.json/],
    [["--board", "puckjs", "--port", "p", "--code", "11111111"], /--code: the setup code 11111111 is a trivial code/],
    [["--board", "puckjs", "--port", "p", "--code", "31415926", "--window-ms", "179999"], /--window-ms must be an integer 180000…900000/],
    [["--board", "puckjs", "--port", "p", "--code", "31415926", "--speed", "9"], /unknown option --speed/],
    [["--board", "puckjs", "--board", "esp32"], /--board given twice/],
  ];
  for (const [argv, why] of bad) assert.throws(() => parseFlashArgs(argv), why, argv.join(" "));
});

test("Storage room: all of Storage when the area is outside it, Storage below the area on the Linux build", () => {
  const linux = storageFit(loadBoard("espruino-linux"), 114190, 40);
  assert.deepEqual(linux, { need: 32 + 114192 + 32 + 40, room: 0x1003c000 - 0x10000000 });
  assert.equal(storageFit(loadBoard("puckjs"), 1000, 25).room, 40960);
  assert.equal(storageFit(loadBoard("esp32"), 1000, 25).room, 917504);
});

test("npm run flash --out: the upload holds the setup code in clear, so only its owner may read it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fl-flash-out-"));
  try {
    const out = join(dir, "upload.js");
    await flash({ board: "espruino-linux", out, code: "31415926" }, () => {});
    assert.match(readFileSync(out, "latin1"), new RegExp(Buffer.from(JSON.stringify({ setupCode: "31415926" })).toString("base64")), "the options (the setup code) are in the upload");
    assert.equal(statSync(out).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
