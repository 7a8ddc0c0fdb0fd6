/**
 * Espruino binds a function declaration only when execution reaches it; the build moves every
 * declaration to the top of its body (build/hoist-functions.ts) and the gate refuses what is not
 * in that order (build/compat-gate.ts, hoistingProblems).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { parse } from "acorn";
import { checkEs5Image } from "../../build/compat-gate.ts";
import { hoistFunctionDeclarations } from "../../build/hoist-functions.ts";
import { DIST } from "../../build/paths.ts";
import { espruinoMissing, runEspruino } from "../engines/espruino.ts";

/** What `src` leaves in `out` on Node. */
const run = (src: string): unknown => {
  const ctx: { out?: unknown } = {};
  vm.runInNewContext(src, ctx);
  return ctx.out;
};

// Each case: the code, what `out` must be (as on Node before and after the move).
const CASES: [string, unknown][] = [
  ["function a(){ return m(1); function m(x){ return x + 1 } } out = a();", 2],
  ["out = t(2); function t(x){ return x * 2 }", 4],
  ["function a(){ 'use strict'; var r = m(); function m(){ return 'strict' } return r } out = a();", "strict"],
  ["function a(){ 'use strict'\n var r = m()\n function m(){ return 1 }\n return r } out = a();", 1],
  // Source order decides between declarations of one name, wherever they stand.
  ["function a(){ function f(){ return 1 } var x = f(); function f(){ return 2 } return x } out = a();", 2],
  // A moved declaration's own body is put in order too.
  ["function a(){ var v = b(); function b(){ return c(); function c(){ return 7 } } return v } out = a();", 7],
  ["out = (function(){ return k(); function k(){ return 'iife' } })();", "iife"],
  // A cut must not join its neighbours (ASI): `x` then `(y)` would become a call.
  ["var x = 1, y = 2, z; function a(){ z = x\nfunction q(){}\n(y); return q } a(); out = z;", 1],
  ["var r = []; function a(){ r.push(typeof q); function q(){} r.push(typeof q) } a(); out = r.join();", "function,function"],
];

test("hoisting keeps what the code does and puts every declaration first", () => {
  for (const [src, want] of CASES) {
    assert.equal(run(src), want, `before: ${src}`);
    const out = hoistFunctionDeclarations(src);
    assert.equal(run(out), want, `after: ${out}`);
    assert.deepEqual(checkEs5Image(out, "x.js").problems, [], out);
  }
});

test("code already in order is unchanged", () => {
  const src = "function a(){ function m(){ return 1 } return m() } var x = a();";
  assert.equal(hoistFunctionDeclarations(src), src);
});

test("the gate refuses a declaration after code and one inside a block", () => {
  const late = checkEs5Image("function a(){ return m(); function m(){} }", "x.js");
  assert.equal(late.ok, false);
  assert.match(late.problems.join("\n"), /x\.js:1:\d+: function m is declared after other code/);
  const top = checkEs5Image("m(); function m(){}", "x.js");
  assert.match(top.problems.join("\n"), /function m is declared after other code/);
  const block = checkEs5Image("function a(){ if (1) { function b(){} } }", "x.js");
  assert.match(block.problems.join("\n"), /function b is declared inside a block/);
  // The pass leaves a block declaration where it is, so the gate still refuses it.
  assert.match(checkEs5Image(hoistFunctionDeclarations("function a(){ if (1) { function b(){} } }"), "x.js").problems.join("\n"), /inside a block/);
});

test("every built image has its declarations first", () => {
  const images = readdirSync(DIST).filter((f) => /^firstlight-.*\.js$/.test(f));
  assert.ok(images.length > 0, "no built images: run npm run build");
  for (const f of images) {
    const src = readFileSync(join(DIST, f), "utf8");
    assert.equal(hoistFunctionDeclarations(src), src, `${f} has a declaration after code`);
    parse(src, { ecmaVersion: 5, sourceType: "script" });
  }
});

const missing = espruinoMissing("espruino");
test("on Espruino a later declaration is not defined until hoisted", { skip: missing ?? false }, async () => {
  const src = "function a(){ return m(1); function m(x){ return x + 1 } }\ntry { print('got ' + a()); } catch (e) { print('error ' + e.message); }\n";
  const before = await runEspruino("espruino", src, { timeoutMs: 20000 });
  assert.match(before.stdout, /error "m" is not defined/, before.stdout);
  const after = await runEspruino("espruino", hoistFunctionDeclarations(src), { timeoutMs: 20000 });
  assert.match(after.stdout, /got 2/, after.stdout);
});
