/**
 * Classes at the module's top level, for the Espruino board images. tsc lowers a class to ES5 as
 *
 *     var Store = (function () {
 *         function Store(flash, root, opts) { … }
 *         Store.prototype.get = function (name) { … };
 *         …
 *         return Store;
 *     }());
 *
 * On Espruino every function remembers the scopes it was made in: a method made inside that
 * wrapper stores its scope (one variable more than a function made at the top level), and a
 * closure a method makes stores an array of both scopes (three more). The board images run in the
 * root scope (build/espruino-root-scope.ts), so the same class written at the module's top level,
 *
 *     function Store(flash, root, opts) { … }
 *     Store.prototype.get = function (name) { … };
 *
 * costs one variable less per method, and inside an overlay (build/espruino-overlays.ts) three
 * less. The rewrite applies only to the exact shape above: a wrapper with no parameters and no
 * arguments whose body is the constructor's declaration, then expression statements (prototype
 * and static members, which cannot declare names), then `return Name;`. Anything else is left as
 * it is. Works on the ES5 modules tsc wrote, through the board images' esbuild plugin
 * (build/espruino-params.ts, espruinoModulePlugin).
 */
import { parse } from "acorn";
import type { Node } from "./compat-gate.ts";

function unwrap(n: Node | null): Node | null {
  while (n && n.type === "ParenthesizedExpression") n = n.expression as Node;
  return n;
}

/** The class wrapper's body if `decl` is `var Name = (function () { function Name… return Name; }())`. */
function classBody(decl: Node): { name: string; body: Node[] } | null {
  if ((decl.declarations as Node[]).length !== 1) return null;
  const d = (decl.declarations as Node[])[0];
  const name = (d.id as Node).name as string;
  const call = unwrap(d.init as Node | null);
  if (!call || call.type !== "CallExpression" || (call.arguments as Node[]).length) return null;
  const fn = unwrap(call.callee as Node);
  if (!fn || fn.type !== "FunctionExpression" || (fn.params as Node[]).length || fn.id) return null;
  const body = (fn.body as Node).body as Node[];
  if (body.length < 2) return null;
  const first = body[0], last = body[body.length - 1];
  if (first.type !== "FunctionDeclaration" || (first.id as Node).name !== name) return null;
  if (last.type !== "ReturnStatement" || !last.argument || (last.argument as Node).type !== "Identifier" || (last.argument as Node).name !== name) return null;
  for (const s of body.slice(1, -1)) if (s.type !== "ExpressionStatement") return null;
  // `this` or `arguments` at the wrapper's own level would change meaning at the top level.
  let bad = false;
  const visit = (n: unknown): void => {
    if (bad || !n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(visit);
    const x = n as Node;
    if (typeof x.type !== "string") return;
    if (x.type === "ThisExpression" || (x.type === "Identifier" && x.name === "arguments")) bad = true;
    if (x.type === "FunctionExpression" || x.type === "FunctionDeclaration") return;
    for (const k of Object.keys(x)) if (k !== "type" && k !== "start" && k !== "end") visit(x[k]);
  };
  visit(body.slice(1, -1));
  return bad ? null : { name, body: body.slice(0, -1) };
}

/** `source` (an ES module of ES5 code, as tsc writes it) with its top-level class wrappers opened. */
export function flattenClasses(source: string): string {
  const ast = parse(source, { ecmaVersion: 2015, sourceType: "module" }) as unknown as Node;
  const edits: { start: number; end: number; text: string }[] = [];
  for (const s of ast.body as Node[]) {
    if (s.type !== "VariableDeclaration") continue;
    const c = classBody(s);
    if (!c) continue;
    edits.push({ start: s.start, end: s.end, text: c.body.map((b) => source.slice(b.start, b.end)).join("\n") });
  }
  let out = "", pos = 0;
  for (const e of edits) {
    out += source.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + source.slice(pos);
}
