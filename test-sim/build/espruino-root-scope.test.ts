/**
 * build/espruino-root-scope.ts: the board image's bundle moved out of esbuild's wrapper into the
 * root scope keeps its meaning, renames only its own module-level names, and refuses a wrapper
 * whose body depends on `this` or `arguments`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { rootScopeImage } from "../../build/espruino-root-scope.ts";
import { checkEs5Image } from "../../build/compat-gate.ts";

function run(src: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const ctx: Record<string, unknown> = { out: [] as unknown[], ...extra };
  vm.runInNewContext(src, ctx);
  return ctx;
}

const BUNDLE = `var firstlight;"use strict";(function(){
function t(e){return e+1}
var e=10,r=function(t){return t*2};
function n(t){var e=function(){return t+"!"};try{throw 1}catch(t){out.push("caught "+t)}return e()}
var i=function e(r){return r>0?e(r-1):t(r)};
function o(){var t=5;return t}
for(var a=0;a<2;a++)out.push(t(a));
out.push(r(e),n("x"),i(3),o(),typeof D1);
firstlight={add:t,e:e};
})();
`;

test("the root-scope image computes what the wrapped bundle computes", () => {
  const a = run(BUNDLE), b = run(rootScopeImage(BUNDLE));
  assert.deepEqual(b.out, a.out);
  assert.equal((b.firstlight as { add(x: number): number }).add(4), 5);
  assert.equal((b.firstlight as { e: number }).e, 10);
});

test("module-level names become $names in the root scope; locals, properties and globals keep theirs", () => {
  const out = rootScopeImage(BUNDLE);
  assert.doesNotMatch(out, /\(function\(\)\{/, "the wrapper is gone");
  assert.match(out, /function \$t\(e\)\{return e\+1\}/);
  assert.match(out, /var \$e=10,\$r=function\(t\)\{return t\*2\}/);
  assert.match(out, /function \$o\(\)\{var t=5;return t\}/, "a local that shadows a module-level name is not renamed");
  assert.match(out, /firstlight=\{add:\$t,e:\$e\}/, "object keys stay, values are renamed");
  assert.match(out, /typeof D1/, "a global stays a global");
  const ctx = run(out);
  assert.equal(typeof ctx.$t, "function", "the module-level function is a global of the root scope");
  assert.equal(ctx.t, undefined, "the short name is free for the console");
});

test("the module-level declarations open the script, before the banner: Espruino binds them only when it reaches them", () => {
  const out = rootScopeImage(BUNDLE);
  assert.match(out, /^function \$t\(e\)\{return e\+1\}function \$n\(t\)\{.*\}function \$o\(\)\{var t=5;return t\}var firstlight;"use strict";var \$e=10/);
  assert.deepEqual(checkEs5Image(out, "bundle").problems, []);
});

test("a console that assigns a short name does not overwrite the firmware", () => {
  const ctx = run(rootScopeImage(BUNDLE));
  vm.runInNewContext("t = 0; e = 0;", ctx);
  assert.equal((ctx.firstlight as { add(x: number): number }).add(1), 2);
});

test("a renamed name never meets a name the bundle already uses", () => {
  const src = `(function(){function t(){return $t}var $t=1;out.push(t())})();`;
  const out = rootScopeImage(src);
  assert.deepEqual(run(out).out, [1]);
  assert.equal(out, "function $$t(){return $$$t}var $$$t=1;out.push($$t());");
});

test("a wrapper that uses this or arguments, or no wrapper at all, is refused", () => {
  assert.throws(() => rootScopeImage(`(function(){var t=this})();`), /uses `this`/);
  assert.throws(() => rootScopeImage(`(function(){var t=arguments.length})();`), /uses `arguments`/);
  assert.throws(() => rootScopeImage(`var t=1;`), /no \(function/);
  assert.doesNotThrow(() => rootScopeImage(`(function(){function f(){return this}var g=function(){return arguments}})();`));
});
