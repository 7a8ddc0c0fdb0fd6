/** The build's rewrite for JerryScript static snapshots (ports/jerryscript/host/static-literals.node.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import * as acorn from "acorn";
import { DIST } from "../../../build/paths.ts";
import { rewriteStaticLiterals } from "../../../ports/jerryscript/host/static-literals.node.ts";

function nonDirect(src: string): string[] {
  const found: string[] = [];
  const visit = (n: any, parent: any): void => {
    const isKey = parent && parent.type === "Property" && parent.key === n;
    if (n.type === "Literal" && !isKey) {
      if (typeof n.value === "number" && !(Number.isInteger(n.value) && n.value >= -(2 ** 27) && n.value < 2 ** 27)) found.push(n.raw);
      if (typeof n.value === "string" && /^[1-9][0-9]*$/.test(n.value) && Number(n.value) > 65535 && Number(n.value) < 2 ** 32) found.push(n.raw);
    }
    for (const k of Object.keys(n)) {
      const c = n[k];
      if (Array.isArray(c)) c.forEach((x) => x && typeof x.type === "string" && visit(x, n));
      else if (c && typeof c.type === "string") visit(c, n);
    }
  };
  visit(acorn.parse(src, { ecmaVersion: 5 }), null);
  return found;
}

test("numbers and numeric strings become exact expressions of direct literals", () => {
  const src = 'var a = [4294967296, 4294967295, 1634760805, 9007199254740991, 2.576, 0.5, 134217727, -134217728, "12345678", "65535"], o = { 4294967296: 1 };';
  const out = rewriteStaticLiterals(src);
  assert.deepEqual(nonDirect(out), []);
  assert.deepEqual(Function(out + " return a;")(), Function(src + " return a;")());
  assert.ok(out.includes("{ 4294967296: 1 }"), "property keys are left alone");
});

test("the built device image rewrites to direct literals only", { skip: !existsSync(join(DIST, "firstlight-jerry.js")) && "not built" }, () => {
  const src = readFileSync(join(DIST, "firstlight-jerry.js"), "utf8");
  assert.ok(nonDirect(src).length > 0, "the image has literals to rewrite");
  assert.deepEqual(nonDirect(rewriteStaticLiterals(src)), []);
});
