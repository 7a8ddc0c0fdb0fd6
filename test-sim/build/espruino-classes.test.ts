/**
 * build/espruino-classes.ts: tsc's class wrapper becomes the constructor and its member
 * assignments at the module's top level, computing what it computed; any other shape is left as it
 * is.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { flattenClasses } from "../../build/espruino-classes.ts";

// As tsc (target ES5) writes a class, with a static member.
const MODULE = `import { base } from "./base";
var Counter = /** @class */ (function () {
    function Counter(start) {
        this.n = start;
    }
    Counter.prototype.add = function (k) {
        this.n += k;
        return this;
    };
    Counter.LIMIT = 10;
    return Counter;
}());
export { Counter };
`;

function run(src: string): unknown {
  const body = src.replace(/^import .*$/m, "").replace(/^export .*$/m, "");
  const ctx: Record<string, unknown> = {};
  vm.runInNewContext(body + "\nvar out = [new Counter(1).add(2).n, Counter.LIMIT, typeof Counter.prototype.add];", ctx);
  return JSON.parse(JSON.stringify(ctx.out));
}

test("a class wrapper opens at the top level and computes the same", () => {
  const out = flattenClasses(MODULE);
  assert.doesNotMatch(out, /@class|return Counter/);
  assert.match(out, /^function Counter\(start\) \{/m);
  assert.match(out, /^Counter\.prototype\.add = function \(k\) \{/m);
  assert.match(out, /^Counter\.LIMIT = 10;/m);
  assert.match(out, /export \{ Counter \};/);
  assert.deepEqual(run(out), run(MODULE));
  assert.deepEqual(run(MODULE), [3, 10, "function"]);
});

test("other shapes stay as they are", () => {
  const withThis = "var A = (function () { function A() {} A.self = this; return A; }());\n";
  const withParam = "var B = (function (_super) { function B() {} return B; }(Object));\n";
  const withLocal = "var C = (function () { var k = 1; function C() {} return C; }());\n";
  const notReturned = "var D = (function () { function D() {} return 5; }());\n";
  for (const src of [withThis, withParam, withLocal, notReturned]) assert.equal(flattenClasses(src), src);
});
