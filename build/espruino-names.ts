/**
 * Espruino's lexer reserves `of`, which esbuild's minifier may pick as a short local name. This
 * pass renames every binding and reference named `of` in a minified ES5 bundle to a name the
 * bundle does not use; property names (`x.of`, `{ of: 1 }`) stay. All occurrences get the same
 * new name, so scoping is unchanged.
 */
import { parse } from "acorn";
import { isObjectKey, isPropertyAccess, walk, type Node } from "./compat-gate.ts";

function ofNames(ast: unknown): Node[] {
  const out: Node[] = [];
  walk(ast, (n, parent) => {
    if (n.type !== "Identifier" || n.name !== "of") return;
    if (!isPropertyAccess(n, parent) && !isObjectKey(n, parent)) out.push(n);
  });
  return out;
}

/** Returns `source` with `of` renamed where it is a name; unchanged when it never is. */
export function renameEspruinoReserved(source: string): string {
  const found = ofNames(parse(source, { ecmaVersion: 5, sourceType: "script" }));
  if (found.length === 0) return source;
  let fresh = "of$";
  while (new RegExp("(^|[^\\w$])" + fresh.replace(/\$/g, "\\$") + "($|[^\\w$])").test(source)) fresh += "$";
  let out = source;
  for (const n of found.sort((a, b) => b.start - a.start)) out = out.slice(0, n.start) + fresh + out.slice(n.end);
  return out;
}
