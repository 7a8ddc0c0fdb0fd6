import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOARDS_DIR, BoardError, listBoards, loadBoard, validateBoard } from "../../build/boards.ts";

/** A valid board to break one field at a time. */
function good(): Record<string, any> {
  return JSON.parse(readFileSync(join(BOARDS_DIR, "puckjs.json"), "utf8"));
}

function problems(obj: unknown, name = "puckjs"): string[] {
  try {
    validateBoard(obj, name);
  } catch (e) {
    assert.ok(e instanceof BoardError, "not a BoardError: " + e);
    assert.equal(e.code, "BOARD_INVALID");
    assert.ok(e.message.startsWith(`boards/${name}.json: `), e.message);
    assert.equal(e.message, `boards/${name}.json: ` + e.problems.join("; "));
    return e.problems;
  }
  assert.fail("accepted");
}

function refuses(mutate: (b: Record<string, any>) => void, why: RegExp): void {
  const b = good();
  mutate(b);
  const p = problems(b);
  assert.ok(p.some((x) => why.test(x)), `${why} not in: ${p.join(" | ")}`);
}

test("every board file validates, and the list has the boards the firmware targets", () => {
  const names = listBoards();
  for (const want of ["sim", "puckjs", "pico", "esp32", "espruino-linux", "nrf52840-jerry", "nodemcu-esp8266"]) assert.ok(names.includes(want), want);
  for (const n of names) {
    const b = loadBoard(n);
    assert.equal(b.name, n);
    assert.ok(b.entropy.gateBits >= 256);
    assert.ok(b.flash.pageCount >= 3);
    assert.equal(b.flash.pageSize % b.flash.writeSize, 0);
  }
});

test("board figures that matter for security", () => {
  const esp32 = loadBoard("esp32");
  assert.equal(esp32.trng.source, "esp32-rng", "the RNG register through peek32, not E.hwRand (rand())");
  assert.ok(esp32.trng.bitsPerByte > 0 && esp32.trng.bitsPerByte <= 2, "a quarter of the register's width at most");
  assert.ok(loadBoard("pico").trng.bitsPerByte <= 1, "ADC noise is credited low");
  assert.equal(loadBoard("puckjs").deviceSecret, null);
  assert.equal(loadBoard("esp32").deviceSecret, null);
  assert.deepEqual(loadBoard("nrf52840-jerry").deviceSecret, { kind: "factory-provisioned" });
  assert.equal(loadBoard("nodemcu-esp8266").status, "planned");
  const puck = loadBoard("puckjs");
  assert.deepEqual([puck.flash.pageSize, puck.flash.writeSize, puck.budgets.jsVars, puck.button.pin, puck.button.activeLow], [4096, 4, 2630, "D0", false]);
  const pico = loadBoard("pico");
  assert.deepEqual([pico.flash.pageSize, pico.button.pin, pico.led && pico.led.pin], [16384, "C13", "B2"]);
});

test("Espruino boards name their Storage and link; other engines may not", () => {
  refuses((b) => { delete b.storage; }, /^storage must be an object, got nothing$/);
  refuses((b) => { b.storage.bytes = 10; }, /^storage\.bytes must be an integer 1024…/);
  refuses((b) => { delete b.link; }, /^link must be an object \(how the commissioner connects\), got nothing$/);
  refuses((b) => { b.link = { transport: "tcp" }; }, /^link\.port must be an integer 1…65535, got nothing$/);
  refuses((b) => { b.link = { transport: "ble", port: 5 }; }, /^link\.port is for transport tcp only, got 5$/);
  refuses((b) => { b.link = { transport: "usb" }; }, /^link\.transport must be one of tcp, ble, got "usb"$/);
  const sim = JSON.parse(readFileSync(join(BOARDS_DIR, "sim.json"), "utf8"));
  sim.link = { transport: "tcp", port: 1 };
  sim.storage = { baseAddress: 0, bytes: 4096 };
  const p = problems(sim, "sim");
  assert.ok(p.includes('storage is for engine espruino only, got {"baseAddress":0,"bytes":4096}'), p.join(" | "));
  assert.ok(p.some((x) => /^link is for engine espruino only/.test(x)), p.join(" | "));
  const linux = loadBoard("espruino-linux");
  assert.deepEqual([linux.link, linux.button.pin, linux.trng.source, linux.trng.bitsPerByte], [{ transport: "tcp", port: 5555 }, "virtual", "linux-urandom", 4]);
  // The area is the top of the Linux build's Storage (0x10000000 + 256 KB).
  assert.equal(linux.flash.baseAddress + linux.flash.pageSize * linux.flash.pageCount, 0x10000000 + 262144);
});

test("a valid board passes validateBoard unchanged", () => {
  const b = good();
  assert.deepEqual(validateBoard(b, "puckjs"), b);
});

test("each bad field is reported with its value", () => {
  refuses((b) => { b.flash.pageSize = 300; }, /^flash\.pageSize must be a power of two 256…131072, got 300$/);
  refuses((b) => { (b as { jitter?: unknown }).jitter = { source: "gettime-jitter", bitsPerByte: 9, bytesPerSecond: 2000 }; }, /^jitter\.bitsPerByte must be 0…8, got 9$/);
  refuses((b) => { (b as { jitter?: unknown }).jitter = { source: "x", bitsPerByte: 1, bytesPerSecond: 2000, extra: 1 }; }, /jitter\.extra is not a board field/);
  refuses((b) => { b.flash.pageSize = 128; }, /flash\.pageSize must be a power of two/);
  refuses((b) => { b.flash.pageCount = 2; }, /^flash\.pageCount must be an integer 3…4096, got 2 \(the credential store needs a key page, a data page and a spare/);
  refuses((b) => { b.flash.pageCount = 2.5; }, /flash\.pageCount must be an integer/);
  refuses((b) => { b.flash.writeSize = 3; }, /^flash\.writeSize must be one of 1, 2, 4, 8, 16, got 3$/);
  refuses((b) => { b.flash.baseAddress = 0x72001; }, /^flash\.baseAddress must be a multiple of flash\.pageSize 4096, got 0x72001$/);
  refuses((b) => { b.flash.baseAddress = 0xfffff000; b.flash.pageCount = 4; }, /passes the 32-bit address space/);
  refuses((b) => { b.trng.bitsPerByte = 9; }, /^trng\.bitsPerByte must be 0…8, got 9$/);
  refuses((b) => { b.trng.bitsPerByte = -1; }, /trng\.bitsPerByte must be 0…8, got -1/);
  refuses((b) => { b.trng.bitsPerByte = "4"; }, /trng\.bitsPerByte must be 0…8, got "4"/);
  refuses((b) => { b.trng.bytesPerSecond = 0; }, /^trng\.bytesPerSecond must be a number > 0, got 0$/);
  refuses((b) => { b.trng.source = "Bad Source"; }, /^trng\.source must be a source id/);
  refuses((b) => { b.entropy.gateBits = 128; }, /^entropy\.gateBits must be an integer 256…4096 \(a board may raise the gate, never lower it\), got 128$/);
  refuses((b) => { b.entropy.gateBits = 255.5; }, /entropy\.gateBits must be an integer/);
  refuses((b) => { b.engine = "micropython"; }, /^engine must be one of espruino, jerryscript, nodemcu, sim, got "micropython"$/);
  refuses((b) => { b.language = "lua51"; }, /^language must be es5 for engine espruino, got "lua51"$/);
  refuses((b) => { b.budgets.jsVars = undefined; }, /^budgets\.jsVars must be an integer 100…1048576, got nothing$/);
  refuses((b) => { b.budgets.codeBytes = -5; }, /^budgets\.codeBytes must be an integer/);
  refuses((b) => { b.button.activeLow = "yes"; }, /^button\.activeLow must be true or false, got "yes"$/);
  refuses((b) => { b.button.pin = ""; }, /^button\.pin must be a non-empty string, got ""$/);
  refuses((b) => { b.led = "D5"; }, /^led must be an object or null, got "D5"$/);
  refuses((b) => { delete b.button; }, /^button must be an object, got nothing$/);
  refuses((b) => { delete b.deviceSecret; }, /^deviceSecret must be an object or null, got nothing$/);
  refuses((b) => { b.deviceSecret = { kind: "efuse" }; }, /^deviceSecret\.kind must be one of sim-fixed, factory-provisioned, got "efuse"$/);
  refuses((b) => { b.deviceSecret = { kind: "factory-provisioned" }; }, /needs the native binding \(engine jerryscript\), got engine espruino/);
  refuses((b) => { b.deviceSecret = { kind: "sim-fixed" }; }, /is for engine sim only/);
  refuses((b) => { b.name = "pico"; }, /^name must equal the file name "puckjs", got "pico"$/);
  refuses((b) => { b.status = "beta"; }, /^status must be one of supported, planned, got "beta"$/);
  refuses((b) => { b.notes = []; }, /^notes must be a non-empty array/);
  refuses((b) => { b.trng.bitsPerByte = 0; delete b.notes; }, /^notes must say what trng\.bitsPerByte 0 means/);
});

test("unknown fields are refused, at the top and inside objects", () => {
  refuses((b) => { b.ram = 64; }, /^ram is not a board field$/);
  refuses((b) => { b.flash.eraseMs = 85; }, /^flash\.eraseMs is not a board field$/);
  refuses((b) => { b.trng.bias = true; }, /^trng\.bias is not a board field$/);
  refuses((b) => { b.deviceSecret = { kind: "factory-provisioned", bytes: 32 }; }, /^deviceSecret\.bytes is not a board field$/);
});

test("several bad fields are reported at once, in one message", () => {
  const b = good();
  b.flash.pageSize = 300;
  b.trng.bitsPerByte = 9;
  b.entropy.gateBits = 64;
  b.extra = 1;
  const p = problems(b);
  assert.equal(p.length, 4, p.join(" | "));
  let msg = "";
  try { validateBoard(b, "puckjs"); } catch (e) { msg = (e as Error).message; }
  assert.match(msg, /^boards\/puckjs\.json: extra is not a board field; .*flash\.pageSize must be a power of two 256…131072, got 300; trng\.bitsPerByte must be 0…8, got 9; entropy\.gateBits must be an integer 256…4096/);
});

test("nodemcu boards are Lua and planned", () => {
  const b = JSON.parse(readFileSync(join(BOARDS_DIR, "nodemcu-esp8266.json"), "utf8"));
  b.language = "es5";
  assert.ok(problems(b, "nodemcu-esp8266").includes(`language must be lua51 or lua53 for engine nodemcu, got "es5"`));
  const c = JSON.parse(readFileSync(join(BOARDS_DIR, "nodemcu-esp8266.json"), "utf8"));
  delete c.status;
  assert.ok(problems(c, "nodemcu-esp8266").some((x) => /status must be "planned" for engine nodemcu/.test(x)));
  const d = JSON.parse(readFileSync(join(BOARDS_DIR, "nodemcu-esp8266.json"), "utf8"));
  d.budgets.jsVars = 1000;
  assert.ok(problems(d, "nodemcu-esp8266").some((x) => /budgets\.jsVars is for engine espruino only/.test(x)));
});

test("not an object is refused", () => {
  assert.deepEqual(problems([1, 2]), ["must be a JSON object, got an array"]);
  assert.deepEqual(problems(null), ["must be a JSON object, got null"]);
});

test("an unknown board name gives a clear error listing the boards", () => {
  assert.throws(() => loadBoard("no-such-board"), (e: Error) => {
    assert.ok(e instanceof BoardError);
    assert.match(e.message, /^boards\/no-such-board\.json: unknown board "no-such-board": no such file \(boards: .*puckjs.*\)$/);
    return true;
  });
  assert.throws(() => loadBoard("../package"), /board name must be a board id/);
  assert.throws(() => loadBoard(""), /board name must be a board id/);
});

test("loadBoard reports bad JSON and bad fields of a file", () => {
  const dir = mkdtempSync(join(tmpdir(), "fl-boards-"));
  writeFileSync(join(dir, "broken.json"), "{ \"name\": ");
  assert.throws(() => loadBoard("broken", dir), /: boards\/broken\.json: is not valid JSON: /);
  const b = good();
  b.name = "mine";
  b.flash.writeSize = 5;
  writeFileSync(join(dir, "mine.json"), JSON.stringify(b));
  assert.throws(() => loadBoard("mine", dir), /: boards\/mine\.json: flash\.writeSize must be one of 1, 2, 4, 8, 16, got 5$/);
  assert.deepEqual(listBoards(dir), ["broken", "mine"]);
});

test("checkBudgets says which image fits which board's code budget", async () => {
  const { checkBudgets } = await import("../../build/budgets.ts");
  const boards = [loadBoard("puckjs"), loadBoard("sim"), loadBoard("nodemcu-esp8266")];
  const r = checkBudgets([{ name: "small", bytes: 40960 }, { name: "big", bytes: 40961 }], boards);
  assert.deepEqual(r.map((x) => x.board), ["puckjs", "sim", "nodemcu-esp8266"]);
  assert.deepEqual(r[0].images.map((f) => [f.image, f.fits, f.margin]), [["small", true, 0], ["big", false, -1]]);
  assert.match(r[0].line, /^budget puckjs +40960 B code: small fits, big over by 1 B$/);
  assert.ok(r[1].images.every((f) => f.fits));
  assert.deepEqual(r[2].images, []);
  assert.match(r[2].line, /takes a lua51 build, no ES5 image applies \(planned\)/);
  assert.throws(() => checkBudgets([{ name: "x", bytes: -1 }], boards), /bad image size/);
});

test("accel: each board names its X25519 and SHA-2; an accelerator for another engine or an unknown one is refused", () => {
  const puck = loadBoard("puckjs");
  assert.deepEqual(puck.accel, { x25519: "cortex-m4-blob", sha2: "espruino-crypto", aead: "cortex-m4-blob", kdf: "cortex-m4-blob" });
  assert.deepEqual(loadBoard("nrf52840-jerry").accel, { x25519: "jerryscript-native", sha2: "jerryscript-native", aead: "jerryscript-native", kdf: "jerryscript-native" });
  for (const n of listBoards()) assert.ok(loadBoard(n).accel, n + " has no accel field");
  refuses((b) => (b.accel = { x25519: "jerryscript-native", sha2: "portable" }), /^accel\.x25519 "jerryscript-native" needs engine jerryscript, got engine espruino$/);
  refuses((b) => (b.accel = { x25519: "portable", sha2: "mbedtls" }), /^accel\.sha2 must be one of portable, espruino-crypto, jerryscript-native, got "mbedtls"$/);
  refuses((b) => (b.accel = { x25519: "portable", sha2: "jerryscript-native" }), /^accel\.sha2 "jerryscript-native" needs engine jerryscript, got engine espruino$/);
  refuses((b) => (b.accel = { x25519: "cortex-m4-blob" }), /^accel\.sha2 must be one of/);
  refuses((b) => (b.accel = { x25519: "portable", sha2: "portable", aes: "x" }), /^accel\.aes is not a board field$/);
  refuses((b) => (b.accel = "fast"), /^accel must be an object, got "fast"$/);
  refuses((b) => (b.accel = { x25519: "portable", sha2: "portable", aead: "jerryscript-native" }), /^accel\.aead "jerryscript-native" needs engine jerryscript, got engine espruino$/);
  refuses((b) => (b.accel = { x25519: "portable", sha2: "portable", kdf: "jerryscript-native" }), /^accel\.kdf "jerryscript-native" needs engine jerryscript, got engine espruino$/);
  refuses((b) => (b.accel = { x25519: "portable", sha2: "portable", kdf: "quickjs-native" }), /^accel\.kdf must be one of portable, cortex-m4-blob, jerryscript-native, got "quickjs-native"$/);
  refuses((b) => (b.accel = { x25519: "portable", sha2: "portable", aead: "aes-gcm" }), /^accel\.aead must be one of portable, cortex-m4-blob, jerryscript-native, got "aes-gcm"$/);
  const b = good();
  delete b.accel;
  assert.equal(validateBoard(b, "puckjs").accel, undefined); // absent: portable for both
});
