/**
 * Espruino's lexer reserves `of`, which esbuild's minifier may pick as a short local name. This
 * pass renames every binding and reference named `of` in a minified ES5 bundle to a name the
 * bundle does not use; property names (`x.of`, `{ of: 1 }`) stay. All occurrences get the same
 * new name, so scoping is unchanged.
 */
import { parse } from "acorn";

type Node = { type: string; start: number; end: number; [k: string]: unknown };

function identifiers(node: unknown, parent: Node | null, out: Node[]): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) identifiers(n, parent, out);
    return;
  }
  const n = node as Node;
  if (typeof n.type !== "string") return;
  if (n.type === "Identifier" && n.name === "of") {
    const isProperty = parent?.type === "MemberExpression" && parent.property === n && !parent.computed;
    const isKey = parent?.type === "Property" && parent.key === n;
    if (!isProperty && !isKey) out.push(n);
  }
  for (const key of Object.keys(n)) {
    if (key !== "type" && key !== "start" && key !== "end" && key !== "loc") identifiers(n[key], n, out);
  }
}

/** Returns `source` with `of` renamed where it is a name; unchanged when it never is. */
export function renameEspruinoReserved(source: string): string {
  const found: Node[] = [];
  identifiers(parse(source, { ecmaVersion: 5, sourceType: "script" }), null, found);
  if (found.length === 0) return source;
  let fresh = "of$";
  while (new RegExp("(^|[^\\w$])" + fresh.replace(/\$/g, "\\$") + "($|[^\\w$])").test(source)) fresh += "$";
  let out = source;
  for (const n of found.sort((a, b) => b.start - a.start)) out = out.slice(0, n.start) + fresh + out.slice(n.end);
  return out;
}
