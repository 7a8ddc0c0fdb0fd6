/**
 * build/espruino-params.ts: a leaf function's parameters become locals read from `arguments`
 * (Espruino stores each parameter name with the function for as long as it exists); functions
 * that make closures, use `arguments`, are setters or declare a function named like a parameter
 * keep theirs; the code computes what it computed, on Node and on Espruino, where a function nested
 * in one that used `arguments` would read the outer call's array.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { isHotModule, paramsAsLocals } from "../../build/espruino-params.ts";
import { espruinoMissing, runEspruino } from "../engines/espruino.ts";
import { ES5_OUT } from "../../build/paths.ts";
import { join } from "node:path";

const MODULE = `"use strict";
export function add(a, b) { "use strict"; return a + b; }
export var o = { m: function (x) { return x * 2; }, set v(w) { this._v = w; }, get v() { return this._v; } };
export function factory(n) { return function (k) { return n + k; }; }
export function usesArgs(a) { return arguments.length + a; }
export function shadow(f) { function f() { return "declared"; } return f(); }
export function missing(a, b) { return b === undefined ? "none" : b; }
`;

function runModule(src: string): unknown[] {
  const body = src.replace(/export /g, "");
  const ctx: Record<string, unknown> = {};
  vm.runInNewContext(body + "\nvar out = [add(1, 2), o.m(4), (o.v = 3, o.v), factory(1)(2), usesArgs(5, 6), shadow(1), missing(1)];", ctx);
  return JSON.parse(JSON.stringify(ctx.out)) as unknown[];
}

test("leaf functions take their parameters from arguments; the rest keep theirs; the results do not change", () => {
  const out = paramsAsLocals(MODULE);
  assert.match(out, /function add\(\) \{ "use strict"; var a = arguments\[0\], b = arguments\[1\]; return a \+ b; \}/, "after the directive prologue");
  assert.match(out, /m: function \(\) \{ var x = arguments\[0\]; return x \* 2; \}/);
  assert.match(out, /set v\(w\)/, "a setter keeps its parameter");
  assert.match(out, /function factory\(n\) \{ return function \(\) \{ var k = arguments\[0\];/, "a function that makes a closure keeps its parameters; the closure (a leaf inside it) does not");
  assert.match(out, /function usesArgs\(a\)/);
  assert.match(out, /function shadow\(f\)/);
  assert.deepEqual(runModule(out), runModule(MODULE));
  assert.deepEqual(runModule(MODULE), [3, 8, 3, 3, 7, "declared", "none"]);
});

test("a function inside one that uses arguments keeps its parameters", () => {
  const src = "export function outer(a) { var n = arguments.length; return function (b) { return a + b + n; }; }\nexport function leafy(x) { var g = function () { return arguments[0]; }; return g(x); }\n";
  const out = paramsAsLocals(src);
  assert.match(out, /return function \(b\)/);
  assert.match(out, /function leafy\(x\)/, "a function whose nested function uses arguments keeps its own");
});

test("the hot modules keep their parameters", () => {
  assert.ok(isHotModule(join(ES5_OUT, "firmware/crypto/field25519.js")));
  assert.ok(isHotModule(join(ES5_OUT, "firmware/crypto/x25519.js")));
  assert.ok(!isHotModule(join(ES5_OUT, "firmware/crypto/sha256.js")));
  assert.ok(!isHotModule(join(ES5_OUT, "firmware/store/store.js")));
  assert.ok(!isHotModule(join(ES5_OUT, "firmware/onboarding/device.js")));
});

const missing = espruinoMissing("espruino");

test("on Espruino: the rewritten leaves compute the same, and a nested arguments reads the outer call's (why nests keep their parameters)", { skip: missing ?? false, timeout: 60000 }, async () => {
  const script = (src: string) => src.replace(/export /g, "").replace(/^"use strict";/, "") +
    "\nprint(JSON.stringify([add(1, 2), o.m(4), (o.v = 3, o.v), factory(1)(2), usesArgs(5, 6), shadow(1), missing(1)]));\n";
  const before = await runEspruino("espruino", script(MODULE), { timeoutMs: 20000 });
  const after = await runEspruino("espruino", script(paramsAsLocals(MODULE)), { timeoutMs: 20000 });
  const last = (s: string) => s.split("\n").map((l) => l.replace(/\r/g, "").trim()).filter((l) => l.startsWith("[")).pop();
  assert.equal(last(after.stdout), '[3,8,3,3,7,"declared","none"]', after.stdout);
  assert.equal(last(after.stdout), last(before.stdout));
  const quirk = await runEspruino("espruino", "function o(){var x=arguments[0];var f=function(){return arguments[0]};return f(2)}print('Q'+o(1));\n", { timeoutMs: 20000 });
  assert.match(quirk.stdout, /Q1/, "Espruino 2v29: the inner function read the outer call's arguments (if this changes, nests could be rewritten too)");
});
