/**
 * Parameters as locals, for the Espruino board images: `function f(a, b) { … }` becomes
 * `function f() { var a = arguments[0], b = arguments[1]; … }`.
 *
 * Espruino stores each parameter's name with the function, one variable per parameter for as long
 * as the function exists, while a local costs nothing until the function runs (docs/engines.md,
 * "Memory on Espruino"): in the device image that is about 500 variables held from load to power
 * off. A call then pays for an `arguments` array (Espruino makes it on first use in the call and
 * drops it with the call), so the hot paths keep their parameters (HOT_MODULES).
 *
 * A function keeps its parameters when it uses `arguments` itself, when a function declared in its
 * body has a parameter's name (the declaration must win, as it does for a parameter), or when it is
 * a setter (`set x(v)` needs its one parameter). Works on the ES5 modules tsc wrote
 * (.build/es5), before bundling, through an esbuild plugin (espruinoModulePlugin).
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parse } from "acorn";
import { walk, type Node } from "./compat-gate.ts";
import { flattenClasses } from "./espruino-classes.ts";
import { ES5_OUT } from "./paths.ts";

/**
 * Modules whose functions run thousands of times per operation: the field arithmetic and the
 * X25519 ladder (paths under .build/es5). Everything else runs per message, per block or per chunk
 * of samples, where an `arguments` array per call is lost in the work of the call.
 */
export const HOT_MODULES = [/^firmware\/crypto\/(field25519|x25519)\.js$/];

function isFunction(n: Node): boolean {
  return n.type === "FunctionDeclaration" || n.type === "FunctionExpression";
}

/** `arguments` used directly in `fn`'s body (not in a nested function), or a nested declaration named like a parameter. */
function keepsParams(fn: Node, parent: Node | null): boolean {
  if (parent && parent.type === "Property" && (parent.kind === "set" || parent.kind === "get")) return true;
  const params = new Set((fn.params as Node[]).map((p) => p.name as string));
  if ((fn.params as Node[]).some((p) => p.type !== "Identifier")) return true;
  let keep = false;
  const visit = (n: unknown): void => {
    if (keep || !n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(visit);
    const x = n as Node;
    if (typeof x.type !== "string") return;
    if (x.type === "Identifier" && x.name === "arguments") keep = true;
    if (x.type === "FunctionDeclaration" && params.has((x.id as Node).name as string)) keep = true;
    if (isFunction(x)) return;
    for (const k of Object.keys(x)) if (k !== "type" && k !== "start" && k !== "end") visit(x[k]);
  };
  visit((fn.body as Node).body);
  return keep;
}

/** A function under `n`: its scope may outlive the call, and `arguments` with it. */
function hasNestedFunction(n: Node): boolean {
  let found = false;
  walk(n, (x) => {
    if (isFunction(x)) found = true;
  });
  return found;
}

/** `arguments` anywhere under `n`, nested functions included. */
function mentionsArguments(n: Node): boolean {
  let found = false;
  walk(n, (x) => {
    if (x.type === "Identifier" && x.name === "arguments") found = true;
  });
  return found;
}

/**
 * `source` (an ES module of ES5 code) with every eligible function's parameters made locals.
 *
 * Only the outermost eligible function of a nest changes. On Espruino the first use of
 * `arguments` in a call stores the array in that call's scope as a variable named `arguments`,
 * and a function nested in it finds that variable before its own: `function o(){var x =
 * arguments[0]; return function(){return arguments[0]}}` returns o's first argument from the
 * inner function (Espruino 2v29, checked on the Linux build; test-sim/build/espruino-params.test.ts).
 * So a function inside one that uses `arguments` keeps its parameters, and a function whose
 * nested functions use `arguments` keeps its own.
 */
export function paramsAsLocals(source: string): string {
  const ast = parse(source, { ecmaVersion: 2015, sourceType: "module" });
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (n: unknown, parent: Node | null, blocked: boolean): void => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach((c) => visit(c, parent, blocked));
    const x = n as Node;
    if (typeof x.type !== "string") return;
    if (isFunction(x)) {
      const params = x.params as Node[];
      const change = !blocked && params.length > 0 && !keepsParams(x, parent) && !mentionsArguments(x.body as Node) && !hasNestedFunction(x.body as Node);
      if (change) {
        const body = (x.body as Node).body as Node[];
        let at = (x.body as Node).start + 1;
        for (const s of body) {
          if (s.type === "ExpressionStatement" && typeof s.directive === "string") at = s.end;
          else break;
        }
        edits.push({ start: params[0].start, end: params[params.length - 1].end, text: "" });
        edits.push({ start: at, end: at, text: " var " + params.map((p, i) => `${p.name as string} = arguments[${i}]`).join(", ") + ";" });
      }
      visit(x.body, x, blocked || change || mentionsArguments(x.body as Node));
      return;
    }
    for (const k of Object.keys(x)) if (k !== "type" && k !== "start" && k !== "end") visit(x[k], x, blocked);
  };
  visit(ast, null, false);
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = "", pos = 0;
  for (const e of edits) {
    out += source.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + source.slice(pos);
}

export function isHotModule(file: string): boolean {
  const rel = relative(ES5_OUT, file).replace(/\\/g, "/");
  return HOT_MODULES.some((re) => re.test(rel));
}

/**
 * The board images' esbuild plugin: every compiled module under .build/es5 gets its class wrappers
 * opened (build/espruino-classes.ts), then, except HOT_MODULES, paramsAsLocals.
 */
export const espruinoModulePlugin = {
  name: "espruino-modules",
  setup(b: { onLoad(o: { filter: RegExp }, cb: (a: { path: string }) => { contents: string; loader: "js" } | undefined): void }): void {
    b.onLoad({ filter: /\.js$/ }, (a) => {
      const rel = relative(ES5_OUT, a.path).replace(/\\/g, "/");
      if (rel.startsWith("..")) return undefined;
      const flat = flattenClasses(readFileSync(a.path, "utf8"));
      return { contents: isHotModule(a.path) ? flat : paramsAsLocals(flat), loader: "js" };
    });
  },
};
