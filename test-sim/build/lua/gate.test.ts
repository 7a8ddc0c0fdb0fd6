/**
 * The Lua gate's source rules (build/lua/gate.ts): each refuses the construct it names, with the
 * file, line and column, and lets the explicit form through.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as ts from "typescript";
import { checkLuaSource } from "../../../build/lua/gate.ts";

/** The gate's problems for one in-memory source file (lib es5, strict, as the firmware). */
function gate(source: string): string[] {
  const name = "/virtual/src.ts";
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES5, lib: ["lib.es5.d.ts"], strict: true, noEmit: true };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile;
  host.getSourceFile = (f, lang, ...rest) => (f === name ? ts.createSourceFile(f, source, lang) : read.call(host, f, lang, ...rest));
  host.fileExists = ((exists) => (f: string) => f === name || exists(f))(host.fileExists);
  const program = ts.createProgram([name], options, host);
  return checkLuaSource(program.getSourceFile(name)!, program.getTypeChecker(), "/virtual");
}

const cases: { rule: string; bad: string; good: string; says: RegExp }[] = [
  {
    rule: "a number's truthiness",
    bad: "export function f(n: number): number { if (n) return 1; return 0; }",
    good: "export function f(n: number): number { if (n !== 0) return 1; return 0; }",
    says: /src\.ts:1:\d+: a test of a number, string or any \(n\)/,
  },
  {
    rule: "a call returning a number, negated (the store's !headerAt)",
    bad: "function h(o: number): number { return o; }\nexport function f(o: number): boolean { return !h(o); }",
    good: "function h(o: number): number { return o; }\nexport function f(o: number): boolean { return h(o) === 0; }",
    says: /src\.ts:2:\d+: `!` of a number, string or any \(h\(o\)\)/,
  },
  {
    rule: "a string's `||` default",
    bad: "export function f(s: string): string { return s || \"x\"; }",
    good: "export function f(s: string): string { return s !== \"\" ? s : \"x\"; }",
    says: /`\|\|` of a number, string or any \(s\)/,
  },
  {
    rule: "an array that may hold null",
    bad: "export var a: (number | null)[] = [];",
    good: "export var a: number[] = [];",
    says: /an array that may hold null or undefined/,
  },
  {
    rule: "a map lookup in a comparison",
    bad: "export function f(m: { [k: string]: number }, k: string): boolean { return m[k] >= 3; }",
    good: "export function f(m: { [k: string]: number }, k: string): boolean { var v = m[k]; return v !== undefined && v >= 3; }",
    says: /a map lookup in a comparison/,
  },
  {
    rule: "an array method on an any",
    bad: "export function f(x: any): string { return x.join(\",\"); }",
    good: "export function f(x: any): string { return (x as string[]).join(\",\"); }",
    says: /\.join\(\) on an `any`/,
  },
  {
    rule: "indexing an any by a number",
    bad: "export function f(x: any): number { return x[0]; }",
    good: "export function f(x: any): number { return (x as number[])[0]; }",
    says: /indexing an `any` by a number/,
  },
  {
    rule: "a var used outside its block",
    bad: "export function f(): number { for (var i = 0; i < 3; i++) {} return i; }",
    good: "export function f(): number { var i = 0; for (; i < 3; i++) {} return i; }",
    says: /`var i` .* is used outside its block or before its declaration/,
  },
  {
    rule: "Object.create",
    bad: "export var o = Object.create(null);",
    good: "export var o = {};",
    says: /Object\.create/,
  },
  {
    rule: "a regular expression",
    bad: "export var r = /a+/.test(\"aa\");",
    good: "export var r = \"aa\".indexOf(\"a\") === 0;",
    says: /a regular expression/,
  },
];

for (const c of cases) {
  test(`the Lua gate refuses ${c.rule}, and takes the explicit form`, () => {
    const bad = gate(c.bad);
    assert.ok(bad.some((p) => c.says.test(p)), `no matching problem in: ${JSON.stringify(bad)}`);
    assert.deepEqual(gate(c.good), []);
  });
}

test("the Lua gate lets a boolean-returning call and `x || \"\"` through", () => {
  assert.deepEqual(gate("function ok(): boolean { return true; }\nexport function f(s: string | undefined): string { if (!ok()) return \"\"; return s || \"\"; }"), []);
});
