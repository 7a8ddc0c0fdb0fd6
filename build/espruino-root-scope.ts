/**
 * The Espruino board images run their bundle in the root scope, not inside esbuild's wrapper
 * function `(function(){ … })();`, because on Espruino every function remembers the scopes it was
 * made in: a function made in the root scope stores none, one made inside one function stores
 * that scope (one variable), and one made two functions deep stores an array of both (three more
 * variables). Out of the wrapper, every module-level function saves one variable and every closure
 * a factory makes saves three: about 1 200 of the 7 700 variables the device image used after boot
 * (docs/engines.md, "Memory on Espruino").
 *
 * In the root scope the bundle's module-level names are globals, shared with the console and with
 * Espruino's own globals (pins such as `D1`, `E`, `LED1`…). So each module-level name gets a `$` in
 * front (`t` becomes `$t`), renamed only where it means that binding: a name that is global on
 * Espruino is then never redefined, and a name typed at the console (`i = 0`) never overwrites the
 * firmware. A name of up to five characters costs no more variables than a shorter one.
 */
import { parse } from "acorn";
import { isObjectKey, isPropertyAccess, walk, type Node } from "./compat-gate.ts";

type Scope = { names: Set<string>; parent: Scope | null };

function isFunction(n: Node): boolean {
  return n.type === "FunctionDeclaration" || n.type === "FunctionExpression";
}

/** The `var`s and function declarations of a function body (not those of nested functions). */
function declaredIn(body: Node, names: Set<string>): void {
  const visit = (n: unknown): void => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(visit);
    const x = n as Node;
    if (typeof x.type !== "string") return;
    if (x.type === "VariableDeclarator") names.add((x.id as { name: string }).name);
    if (x.type === "FunctionDeclaration") {
      names.add((x.id as { name: string }).name);
      return;
    }
    if (x.type === "FunctionExpression") return;
    for (const k of Object.keys(x)) if (k !== "type" && k !== "start" && k !== "end") visit(x[k]);
  };
  visit(body);
}

/** The wrapper `(function(){ … })();` among the top-level statements, or null. */
function findWrapper(ast: Node): { stmt: Node; fn: Node } | null {
  const body = ast.body as Node[];
  let found: { stmt: Node; fn: Node } | null = null;
  for (const s of body) {
    if (s.type !== "ExpressionStatement") continue;
    const e = s.expression as Node;
    if (e.type !== "CallExpression") continue;
    const callee = e.callee as Node;
    if (callee.type !== "FunctionExpression" || (callee.params as Node[]).length || (e.arguments as Node[]).length) continue;
    if (found) throw new Error("root-scope image: more than one wrapper function at the top level");
    found = { stmt: s, fn: callee };
  }
  return found;
}

/**
 * `source` (an ES5 bundle ending in esbuild's wrapper) with the wrapper's body moved to the root
 * scope and its names renamed to `$name`. Throws when the wrapper's body uses `this` or
 * `arguments` (they would change meaning) or when it has no wrapper.
 */
export function rootScopeImage(source: string): string {
  const ast = parse(source, { ecmaVersion: 5, sourceType: "script" }) as unknown as Node;
  const w = findWrapper(ast);
  if (!w) throw new Error("root-scope image: no (function(){ … })(); wrapper at the top level");
  const wrapperBody = w.fn.body as Node;
  const top = new Set<string>();
  declaredIn(wrapperBody, top);

  const used = new Set<string>();
  walk(ast, (n) => {
    if (n.type === "Identifier") used.add(n.name as string);
  });
  const fresh = new Map<string, string>();
  for (const name of top) {
    let f = "$" + name;
    while (used.has(f) || top.has(f)) f = "$" + f;
    used.add(f);
    fresh.set(name, f);
  }

  // Resolve each identifier through the function scopes between it and the wrapper.
  const edits: { start: number; end: number; text: string }[] = [];
  const root: Scope = { names: top, parent: null };
  const visit = (n: unknown, parent: Node | null, scope: Scope, inWrapper: boolean): void => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach((c) => visit(c, parent, scope, inWrapper));
    const x = n as Node;
    if (typeof x.type !== "string") return;
    if (inWrapper && scope === root && (x.type === "ThisExpression" || (x.type === "Identifier" && x.name === "arguments" && !isPropertyAccess(x, parent) && !isObjectKey(x, parent))))
      throw new Error("root-scope image: the wrapper's body uses `" + (x.type === "ThisExpression" ? "this" : "arguments") + "`");
    if (x.type === "Identifier") {
      if (isPropertyAccess(x, parent) || isObjectKey(x, parent)) return;
      const name = x.name as string;
      let s: Scope | null = scope;
      while (s && s !== root && !s.names.has(name)) s = s.parent;
      if (s === root && top.has(name)) edits.push({ start: x.start, end: x.end, text: fresh.get(name) as string });
      return;
    }
    if (x === w.fn) {
      visit(x.body, x, root, true);
      return;
    }
    if (isFunction(x) && inWrapper) {
      const names = new Set<string>(["arguments"]);
      for (const p of x.params as Node[]) names.add(p.name as string);
      declaredIn(x.body as Node, names);
      // A function declaration's name belongs to the enclosing scope; an expression's to its own.
      if (x.type === "FunctionExpression" && x.id) names.add((x.id as Node).name as string);
      if (x.type === "FunctionDeclaration") visit(x.id, x, scope, inWrapper);
      const inner: Scope = { names, parent: scope };
      for (const p of x.params as Node[]) visit(p, x, inner, inWrapper);
      visit(x.body, x, inner, inWrapper);
      return;
    }
    if (x.type === "CatchClause" && inWrapper) {
      const inner: Scope = { names: new Set([(x.param as Node).name as string]), parent: scope };
      visit(x.param, x, inner, inWrapper);
      visit(x.body, x, inner, inWrapper);
      return;
    }
    for (const k of Object.keys(x)) {
      if (k === "type" || k === "start" || k === "end") continue;
      visit(x[k], x, scope, inWrapper);
    }
  };
  visit(ast, null, root, false);

  // Espruino binds a function declaration only when it reaches it (build/hoist-functions.ts), so
  // the wrapper's declarations open the script, then what stood before the wrapper (the banner),
  // then the rest of the wrapper's body; all with the renames applied.
  const sorted = edits.sort((a, c) => a.start - c.start);
  const renamed = (s: Node): string => {
    let out = "", at = s.start;
    for (const e of sorted) {
      if (e.start < s.start || e.end > s.end) continue;
      out += source.slice(at, e.start) + e.text;
      at = e.end;
    }
    out += source.slice(at, s.end);
    return s.type === "FunctionDeclaration" || /;$/.test(out) ? out : out + ";";
  };
  const stmts = (wrapperBody as Node & { body: Node[] }).body;
  const decls = stmts.filter((s) => s.type === "FunctionDeclaration");
  const rest = stmts.filter((s) => s.type !== "FunctionDeclaration");
  return decls.map(renamed).join("") + source.slice(0, w.stmt.start) + rest.map(renamed).join("") + source.slice(w.stmt.end);
}
