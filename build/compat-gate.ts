/**
 * The engine contract, enforced on every built image: the file must parse as an ES5.1 script and
 * must not name a built-in that Espruino, JerryScript (ES5.1 profile) or Duktape lack.
 * See docs/engines.md for the contract itself.
 */
import { parse } from "acorn";

/** Globals that ES5.1 engines do not have. */
const FORBIDDEN_GLOBALS = new Set([
  "BigInt", "BigInt64Array", "BigUint64Array", "Map", "Set", "WeakMap", "WeakSet", "WeakRef",
  "Promise", "Symbol", "Proxy", "Reflect", "globalThis", "TextEncoder", "TextDecoder",
  "queueMicrotask", "structuredClone", "SharedArrayBuffer", "Atomics",
]);

/** Methods added after ES5 (typed-array fill/slice/from included), and Math functions Espruino lacks. */
const FORBIDDEN_MEMBERS = new Set([
  "from", "of", "fill", "copyWithin", "includes", "find", "findIndex", "findLast", "at",
  "padStart", "padEnd", "startsWith", "endsWith", "repeat", "codePointAt", "fromCodePoint",
  "assign", "entries", "values", "keys", "isView", "imul", "clz32", "fround", "trunc", "sign",
  "log2", "log10", "hypot", "cbrt", "isInteger", "isSafeInteger", "flat", "flatMap",
]);

/** Names Espruino's lexer reserves although ES5 does not. */
const ESPRUINO_RESERVED = new Set(["of"]);

export interface GateResult { ok: boolean; problems: string[] }

export type Node = { type: string; start: number; end: number; [k: string]: unknown };

/** `n` is the name after a dot (`x.n`), not a variable. */
export function isPropertyAccess(n: Node, parent: Node | null): boolean {
  return !!parent && parent.type === "MemberExpression" && parent.property === n && !parent.computed;
}

/** `n` is a key of an object literal (`{ n: … }`), not a variable. */
export function isObjectKey(n: Node, parent: Node | null): boolean {
  return !!parent && parent.type === "Property" && parent.key === n;
}

/** Visits every node of an acorn AST with its parent. */
export function walk(node: unknown, visit: (n: Node, parent: Node | null) => void, parent: Node | null = null): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit, parent);
    return;
  }
  const n = node as Node;
  if (typeof n.type !== "string") return;
  visit(n, parent);
  for (const key of Object.keys(n)) {
    if (key === "type" || key === "start" || key === "end" || key === "loc") continue;
    walk(n[key], visit, n);
  }
}

/** The one function allowed to call `.subarray` (firmware/crypto/bytes.ts: it checks the bounds first). */
export const VIEW_HELPER = "view";

/**
 * `String.fromCharCode` keeps only the low 8 bits on Espruino, so every argument must be provably
 * at most 0xff: a number literal <= 255, or `x & m` with a literal mask m <= 255.
 */
function byteSizedCharCode(arg: Node): boolean {
  const lit = (n: Node) => n.type === "Literal" && typeof n.value === "number" && (n.value as number) >= 0 && (n.value as number) <= 255;
  if (lit(arg)) return true;
  return arg.type === "BinaryExpression" && arg.operator === "&" && (lit(arg.left as Node) || lit(arg.right as Node));
}

function fromCharCodeProblems(ast: unknown, name: string, where: (n: Node) => string): string[] {
  const problems: string[] = [];
  walk(ast, (n) => {
    if (n.type !== "CallExpression") return;
    const callee = n.callee as Node;
    if (callee.type !== "MemberExpression" || callee.computed || (callee.property as Node).name !== "fromCharCode") return;
    for (const a of n.arguments as Node[]) {
      if (!byteSizedCharCode(a)) {
        problems.push(`${name}:${where(a)}: String.fromCharCode of a value that may exceed 0xff (Espruino keeps only the low 8 bits; mask it with & 0xff or use JSON escapes as utf8Decode does)`);
      }
    }
  });
  return problems;
}

function locator(n: Node): string {
  const loc = n.loc as { start: { line: number; column: number } } | undefined;
  return loc ? `${loc.start.line}:${loc.start.column}` : "?";
}

/**
 * The rules checked on each compiled device module (.build/es5/{firmware,hal,test-sim/selftest}),
 * where function names still stand: no `.subarray` outside the bounds-checked `view` helper
 * (Espruino does not clamp `end`; an end from input must be checked), and no `fromCharCode` of
 * values that may not fit in 8 bits.
 */
export function checkDeviceModule(source: string, name: string): GateResult {
  let ast: unknown;
  try {
    ast = parse(source, { ecmaVersion: 2015, sourceType: "module", locations: true });
  } catch (e) {
    return { ok: false, problems: [`${name}: does not parse: ${(e as Error).message}`] };
  }
  const allowed: [number, number][] = [];
  walk(ast, (n) => {
    if (n.type === "FunctionDeclaration" && (n.id as Node | null)?.name === VIEW_HELPER) allowed.push([n.start, n.end]);
  });
  const problems: string[] = [];
  walk(ast, (n) => {
    if (n.type !== "MemberExpression") return;
    const prop = n.property as Node;
    const named = n.computed ? prop.type === "Literal" && prop.value === "subarray" : prop.name === "subarray";
    if (!named || allowed.some(([a, b]) => n.start >= a && n.end <= b)) return;
    problems.push(`${name}:${locator(n)}: bare .subarray (take views with view(b, begin, end) from firmware/crypto/bytes.ts, which checks the bounds; Espruino does not clamp end)`);
  });
  problems.push(...fromCharCodeProblems(ast, name, locator));
  return { ok: problems.length === 0, problems };
}

/**
 * Espruino binds a function declaration only when execution reaches it (no hoisting), so every
 * declaration must stand directly in a function body or the script's top level, before any other
 * statement but directives and declarations. The build moves declarations there
 * (build/hoist-functions.ts); a declaration inside a block has no such place and is refused.
 */
export function hoistingProblems(ast: unknown, name: string, where: (n: Node) => string): string[] {
  const placed = new Set<Node>();
  const bodies = new Set<Node>();
  walk(ast, (n) => {
    const stmts = n.type === "Program" ? n.body as Node[]
      : n.type === "FunctionDeclaration" || n.type === "FunctionExpression" ? (n.body as Node).body as Node[] : null;
    if (!stmts) return;
    for (const s of stmts) bodies.add(s);
    let i = 0;
    while (i < stmts.length && stmts[i].type === "ExpressionStatement" && typeof stmts[i].directive === "string") i++;
    for (; i < stmts.length && (stmts[i].type === "FunctionDeclaration" || stmts[i].type === "EmptyStatement"); i++) placed.add(stmts[i]);
  });
  const problems: string[] = [];
  walk(ast, (n) => {
    if (n.type !== "FunctionDeclaration" || placed.has(n)) return;
    const fname = (n.id as Node).name as string;
    problems.push(bodies.has(n)
      ? `${name}:${where(n)}: function ${fname} is declared after other code (Espruino does not hoist declarations; build/hoist-functions.ts moves them up)`
      : `${name}:${where(n)}: function ${fname} is declared inside a block (no ES5 meaning, and Espruino does not hoist it: use a function expression)`);
  });
  return problems;
}

export function checkEs5Image(source: string, name: string): GateResult {
  const problems: string[] = [];
  let ast: unknown;
  try {
    ast = parse(source, { ecmaVersion: 5, sourceType: "script", locations: true });
  } catch (e) {
    return { ok: false, problems: [`${name}: not ES5.1: ${(e as Error).message}`] };
  }
  if (/BigInt/.test(source)) problems.push(`${name}: mentions BigInt`);
  const where = (n: Node) => {
    const loc = n.loc as { start: { line: number; column: number } } | undefined;
    return loc ? `${loc.start.line}:${loc.start.column}` : "?";
  };
  problems.push(...fromCharCodeProblems(ast, name, where));
  problems.push(...hoistingProblems(ast, name, where));
  walk(ast, (n, parent) => {
    if (n.type === "Identifier") {
      const id = n.name as string;
      const isProperty = isPropertyAccess(n, parent);
      const isKey = isObjectKey(n, parent);
      if (!isProperty && !isKey && FORBIDDEN_GLOBALS.has(id)) problems.push(`${name}:${where(n)}: uses ${id}`);
      if (!isProperty && !isKey && ESPRUINO_RESERVED.has(id)) problems.push(`${name}:${where(n)}: '${id}' is reserved by Espruino`);
      if (isProperty && FORBIDDEN_MEMBERS.has(id)) problems.push(`${name}:${where(n)}: uses .${id} (not in ES5 engines)`);
    }
  });
  return { ok: problems.length === 0, problems };
}
