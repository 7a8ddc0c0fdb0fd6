import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { checkDeviceModule, checkEs5Image } from "../../build/compat-gate.ts";
import { DIST } from "../../build/paths.ts";

const rejects = (src: string, why: RegExp) => {
  const r = checkEs5Image(src, "x.js");
  assert.equal(r.ok, false, `accepted: ${src}`);
  assert.match(r.problems.join("\n"), why);
};

test("ES5 code passes the gate", () => {
  const r = checkEs5Image("function f(x) { return x | 0; } var a = new Uint8Array(4); a.set([1], 0); var b = a.subarray(1); Array.prototype.slice.call([]);", "x.js");
  assert.deepEqual(r.problems, []);
});

test("post-ES5 syntax is refused", () => {
  rejects("let a = 1;", /not ES5/);
  rejects("var f = (x) => x;", /not ES5/);
  rejects("class A {}", /not ES5/);
  rejects("var s = `t`;", /not ES5/);
  rejects("var x = 10n;", /not ES5/);
  rejects("for (var x of [1]) {}", /not ES5/);
  rejects("var {a} = {a: 1};", /not ES5/);
});

test("missing built-ins are refused, with file, line and column", () => {
  rejects("var m = new Map();", /x\.js:1:\d+: uses Map/);
  rejects("var s = new Set();", /uses Set/);
  rejects("Promise.resolve(1);", /uses Promise/);
  rejects("var i = Symbol.iterator;", /uses Symbol/);
  rejects("var b = BigInt(1);", /BigInt/);
  rejects("var g = globalThis;", /uses globalThis/);
  rejects("var a = Array.from([1]);", /\.from/);
  rejects("new Uint8Array(2).fill(0);", /\.fill/);
  rejects("'a'.padStart(2);", /\.padStart/);
  rejects("Math.imul(2, 3);", /\.imul/);
  rejects("Object.assign({}, {});", /\.assign/);
});

test("a mention of BigInt anywhere fails, and so does `of` as a name (Espruino reserves it)", () => {
  rejects("var s = 'BigInt';", /mentions BigInt/);
  rejects("var of = 1;", /reserved by Espruino/);
});

test("names that are only properties or object keys are not globals", () => {
  assert.deepEqual(checkEs5Image("var o = { Map: 1, Promise: 2 }; o.Map = o.Promise;", "x.js").problems, []);
});

test("every built image passes the gate", () => {
  const images = readdirSync(DIST).filter((f) => /^firstlight-.*\.js$/.test(f) && f !== "firstlight-selftest.js");
  assert.ok(images.length >= 2, "run the build first");
  for (const f of images) assert.deepEqual(checkEs5Image(readFileSync(join(DIST, f), "utf8"), f).problems, []);
});

test("the build renames `of` where it is a name, keeps it as a property, and the code means the same", async () => {
  const { renameEspruinoReserved } = await import("../../build/espruino-names.ts");
  const { runInNewContext } = await import("node:vm");
  const src = "function f(of){var x={of:of+1};return x['of']+of$+function(){return of}()}var of$=5;var r=f(2)+[function(of){return of*2}(3)][0];";
  const out = renameEspruinoReserved(src);
  assert.equal(checkEs5Image(out, "renamed.js").ok, true, checkEs5Image(out, "renamed.js").problems.join("; "));
  assert.match(out, /\{of:/, "the object key stays");
  assert.match(out, /x\['of'\]/, "the computed property stays");
  assert.equal(runInNewContext(out + "r"), runInNewContext(src + "r"));
  assert.equal(renameEspruinoReserved("var a=1;"), "var a=1;");
});

const moduleRejects = (src: string, why: RegExp) => {
  const r = checkDeviceModule(src, "m.js");
  assert.equal(r.ok, false, `accepted: ${src}`);
  assert.match(r.problems.join("\n"), why);
};

test("device modules take subarrays only inside the bounds-checked view helper", () => {
  moduleRejects("export function f(b, n) { return b.subarray(0, n); }", /m\.js:1:\d+: bare \.subarray/);
  moduleRejects("var v = b['subarray'](1);", /bare \.subarray/);
  moduleRejects("var s = b.subarray;", /bare \.subarray/);
  moduleRejects("function viewer(b) { return b.subarray(1); }", /bare \.subarray/);
  const ok = "export function view(b, s, e) { if (!(s >= 0 && s <= e && e <= b.length)) throw 1; return b.subarray(s, e); }\nvar x = view(new Uint8Array(2), 0, 1);";
  assert.deepEqual(checkDeviceModule(ok, "m.js").problems, []);
});

test("String.fromCharCode of a value that may exceed 0xff is refused (Espruino keeps 8 bits)", () => {
  moduleRejects("var s = String.fromCharCode(c);", /fromCharCode of a value that may exceed 0xff/);
  moduleRejects("var s = String.fromCharCode(65, 0x20ac);", /fromCharCode/);
  moduleRejects("var s = String.fromCharCode(c & 0x3ff);", /fromCharCode/);
  rejects("var s = String.fromCharCode(c >> 2);", /fromCharCode/);
  assert.deepEqual(checkDeviceModule("var s = String.fromCharCode(c & 0x7f, 255 & d, 65);", "m.js").problems, []);
  assert.deepEqual(checkEs5Image("var s = String.fromCharCode(c & 255);", "x.js").problems, []);
});

test("every compiled device module passes the module gate", async () => {
  const { listDeviceModules, checkDeviceModules } = await import("../../build/build.ts");
  assert.ok(listDeviceModules().some((f) => f.endsWith("firmware/crypto/bytes.js")), "run the build first");
  assert.deepEqual(await checkDeviceModules(), []);
});
