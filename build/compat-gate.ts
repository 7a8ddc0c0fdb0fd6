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
