/**
 * Prepares an ES5 image for a JerryScript *static* snapshot, whose literals must all be "direct"
 * values: strings (which the port registers as external magic strings, binding/literals.h) and
 * integers in −2²⁷ … 2²⁷−1. Everything else is rewritten into an expression of direct literals
 * that evaluates to exactly the same value:
 *
 *   4294967296 → (65536*65536)          2.576 → (2576/1000)   (IEEE division rounds correctly,
 *   1634760805 → (24944*65536+25701)                          so the double is the literal's)
 *   "12345678" → ("1234"+"5678")       (a numeric string above 65535 is not a direct string
 *                                        in a 16-bit-pointer build)
 *
 * Property keys are left alone. Each rewrite is checked by evaluating it.
 */
import * as acorn from "acorn";

const DIRECT_LIMIT = 2 ** 27;
const DIRECT_STRING_MAX = 65535;

function isDirectInteger(v: number): boolean {
  return Number.isInteger(v) && v >= -DIRECT_LIMIT && v < DIRECT_LIMIT;
}

function integerExpression(v: number): string {
  if (isDirectInteger(v)) return String(v);
  const hi = Math.floor(v / 65536), lo = v - hi * 65536;
  return "(" + integerExpression(hi) + "*65536" + (lo ? "+" + lo : "") + ")";
}

function numberExpression(v: number, raw: string): string {
  if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER + 1) return integerExpression(v);
  const m = /^(\d*)\.(\d+)$/.exec(raw);
  if (!m || (m[1] + m[2]).length > 15) throw new Error(`static-literals: cannot rewrite the number literal ${raw}`);
  return "(" + integerExpression(Number(m[1] + m[2])) + "/" + integerExpression(10 ** m[2].length) + ")";
}

function isNumericIndexString(s: string): boolean {
  return /^[1-9][0-9]*$/.test(s) && Number(s) > DIRECT_STRING_MAX && Number(s) < 2 ** 32;
}

type Node = acorn.Node & { [k: string]: unknown };

export function rewriteStaticLiterals(source: string): string {
  const ast = acorn.parse(source, { ecmaVersion: 5 }) as unknown as Node;
  const edits: [number, number, string][] = [];
  const visit = (n: Node, parent: Node | null): void => {
    const isKey = parent !== null && parent.type === "Property" && parent.key === n;
    if (n.type === "Literal" && !isKey) {
      const v = n.value, raw = n.raw as string;
      if (typeof v === "number" && !isDirectInteger(v)) {
        const e = numberExpression(v, raw);
        // The rewrite must evaluate to the literal's exact double.
        if (Function("return " + e)() !== v) throw new Error(`static-literals: ${e} is not ${raw}`);
        edits.push([n.start, n.end, e]);
      } else if (typeof v === "string" && isNumericIndexString(v)) {
        const h = v.length >> 1;
        edits.push([n.start, n.end, "(" + JSON.stringify(v.slice(0, h)) + "+" + JSON.stringify(v.slice(h)) + ")"]);
      }
    }
    for (const k of Object.keys(n)) {
      const c = n[k];
      if (Array.isArray(c)) for (const x of c) { if (x && typeof x.type === "string") visit(x, n); }
      else if (c && typeof (c as Node).type === "string") visit(c as Node, n);
    }
  };
  visit(ast, null);
  let out = source;
  for (const [s, e, t] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, s) + t + out.slice(e);
  return out;
}
