/**
 * Overlays for the Espruino board images: code that only a pairing, a session or an identity key
 * derivation runs is made into functions only while that work runs.
 *
 * On Espruino every function the image creates lives in variables (4 for a function in the root
 * scope, plus one per parameter name), while the text of code run from Storage stays in flash; a
 * function declared inside a function that has not been called costs nothing
 * (docs/engines.md, "Memory on Espruino"). So the part of the image that only one entry point
 * reaches (the pairing responder: CPace, Elligator 2, SHA-512, Noise XX; the session responder:
 * Noise KK, the lifecycle operations) is wrapped in one function per overlay,
 *
 *     function $ovl_pairing(){ function $a(){…} … var $s=new Uint8Array(64); return $pr }
 *
 * and each use of the entry in the rest of the image becomes `$ovl_pairing()`: the overlay's
 * functions and module-level data are created when the device asks for the responder and are
 * garbage once the conversation drops it. The resident core keeps everything that the load, the
 * boot and the running device reach without going through an entry point.
 *
 * The board entry names the entry points in one statement, `espruinoOverlays = { pairing: A,
 * session: B, x25519: C };` (build/board-images.ts), which this pass removes. It works on the root-scope
 * image (build/espruino-root-scope.ts), where every module-level name is `$`-prefixed and no
 * inner name can be one of them, so a `$name` identifier always means the module-level binding.
 *
 * Which names an overlay takes, for each entry E: every module-level function or `var` that E
 * reaches, directly or through other such names, without passing through a core name. A core name
 * is one that a statement run at load (any statement that is not a movable declaration) reaches
 * without passing through an entry. A name two overlays reach goes into both (its text twice, its
 * objects made by whichever overlay runs). Module-level state that must outlive one conversation
 * cannot be in an overlay (each run of the overlay starts it afresh), so a module-level `var` that
 * an overlay would take and that anything assigns after its declaration (state, not a constant, a
 * table or a scratch buffer) fails the build with its name; so does an overlay's `var`
 * initializer or member assignment that changes a name outside the overlay (it ran once, at load;
 * it would run every time the overlay is made). A member assignment (`$X.prototype.m = …`, a class
 * opened by build/espruino-classes.ts) goes wherever its owner goes.
 */
import { parse } from "acorn";
import { isObjectKey, isPropertyAccess, walk, type Node } from "./compat-gate.ts";

/** The statement that names the entry points. */
export const OVERLAY_MARKER = "espruinoOverlays";

interface Unit {
  /** The module-level names it declares (one for a function or a `var` declarator). */
  names: string[];
  /** `$`-names it mentions. */
  refs: Set<string>;
  /** Source text of the unit, as a statement. */
  text: string;
  start: number;
  end: number;
  /**
   * "attach": an assignment to a member of one module-level name (`$X.prototype.m = function…`,
   * `$T[k] = …`, a class's members once build/espruino-classes.ts opened its wrapper): it goes
   * where that name goes.
   */
  kind: "function" | "var" | "attach" | "other";
  owner?: string;
}

export interface OverlayPlan {
  /** Overlay name → the module-level names it takes (its entry first). */
  overlays: Record<string, string[]>;
  /** Overlay name → the entry's name in the image. */
  entries: Record<string, string>;
}

function refsOf(node: Node): Set<string> {
  const out = new Set<string>();
  walk(node, (n, parent) => {
    if (n.type !== "Identifier") return;
    if (isPropertyAccess(n, parent) || isObjectKey(n, parent)) return;
    const name = n.name as string;
    if (name.charAt(0) === "$") out.add(name);
  });
  return out;
}

function unitsOf(source: string, body: Node[]): Unit[] {
  const units: Unit[] = [];
  for (const s of body) {
    if (s.type === "FunctionDeclaration") {
      const name = (s.id as Node).name as string;
      units.push({ names: [name], refs: refsOf(s.body as Node), text: source.slice(s.start, s.end), start: s.start, end: s.end, kind: name.charAt(0) === "$" ? "function" : "other" });
      for (const p of s.params as Node[]) units[units.length - 1].refs.delete(p.name as string);
      continue;
    }
    if (s.type === "VariableDeclaration") {
      for (const d of s.declarations as Node[]) {
        const name = (d.id as Node).name as string;
        const init = d.init as Node | null;
        units.push({
          names: [name], refs: init ? refsOf(init) : new Set(),
          text: "var " + source.slice(d.start, d.end) + ";", start: d.start, end: d.end,
          kind: name.charAt(0) === "$" ? "var" : "other",
        });
      }
      continue;
    }
    const e = s.type === "ExpressionStatement" ? s.expression as Node : null;
    if (e && typeof s.directive !== "string") {
      // One unit per element of a sequence (esbuild joins consecutive statements with commas).
      for (const x of e.type === "SequenceExpression" ? e.expressions as Node[] : [e]) {
        const owner = memberOwner(x);
        units.push({ names: [], refs: refsOf(x), text: source.slice(x.start, x.end) + ";", start: x.start, end: x.end, kind: owner ? "attach" : "other", owner: owner ?? undefined });
      }
      continue;
    }
    let text = source.slice(s.start, s.end);
    if (!/[;}]$/.test(text)) text += ";";
    units.push({ names: [], refs: refsOf(s), text, start: s.start, end: s.end, kind: "other" });
  }
  return units;
}

/** `$X` when `x` is `$X.a… = value` or `$X[k]… = value`, else null. */
function memberOwner(x: Node): string | null {
  if (x.type !== "AssignmentExpression") return null;
  let t = x.left as Node;
  if (t.type !== "MemberExpression") return null;
  while (t.type === "MemberExpression") t = t.object as Node;
  return t.type === "Identifier" && (t.name as string).charAt(0) === "$" ? t.name as string : null;
}

/** The entry points named by `espruinoOverlays = { name: $id, … };`, and that statement. */
function findMarker(body: Node[]): { stmt: Node; entries: Record<string, string> } | null {
  for (const s of body) {
    if (s.type !== "ExpressionStatement") continue;
    const e = s.expression as Node;
    if (e.type !== "AssignmentExpression" || (e.left as Node).type !== "Identifier" || (e.left as Node).name !== OVERLAY_MARKER) continue;
    const obj = e.right as Node;
    if (obj.type !== "ObjectExpression") throw new Error(`overlays: ${OVERLAY_MARKER} must be an object literal of entry functions`);
    const entries: Record<string, string> = {};
    for (const p of obj.properties as Node[]) {
      const k = p.key as Node, v = p.value as Node;
      const key = (k.type === "Identifier" ? k.name : k.value) as string;
      if (v.type !== "Identifier" || (v.name as string).charAt(0) !== "$") throw new Error(`overlays: entry ${key} is not a module-level function of the image`);
      if (!/^[a-z][a-z0-9]*$/.test(key)) throw new Error(`overlays: entry name ${key} must be a-z0-9`);
      entries[key] = v.name as string;
    }
    return { stmt: s, entries };
  }
  return null;
}

function closure(start: Iterable<string>, byName: Map<string, Unit>, stop: (name: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const n = todo.pop() as string;
    if (seen.has(n) || stop(n)) continue;
    const u = byName.get(n);
    if (!u) continue;
    seen.add(n);
    for (const r of u.refs) if (!seen.has(r)) todo.push(r);
  }
  return seen;
}

/**
 * `source` (a root-scope image) with its overlays made, and the plan; `source` unchanged and
 * `plan` null when it has no `espruinoOverlays` statement.
 */
export function overlayImage(source: string): { code: string; plan: OverlayPlan | null } {
  const ast = parse(source, { ecmaVersion: 5, sourceType: "script" }) as unknown as Node;
  const body = ast.body as Node[];
  const marker = findMarker(body);
  if (!marker) return { code: source, plan: null };
  const units = unitsOf(source, body.filter((s) => s !== marker.stmt));
  const byName = new Map<string, Unit>();
  for (const u of units) for (const n of u.names) if (u.kind === "function" || u.kind === "var") byName.set(n, u);
  // A member assignment goes with its owner: what it mentions is reached through the owner.
  for (const u of units) {
    if (u.kind !== "attach") continue;
    const owner = byName.get(u.owner as string);
    if (!owner) u.kind = "other";
    else for (const r of u.refs) if (r !== u.owner) owner.refs.add(r);
  }
  const entryNames = new Set(Object.values(marker.entries));
  for (const [k, e] of Object.entries(marker.entries)) {
    const u = byName.get(e);
    if (!u || u.kind !== "function") throw new Error(`overlays: entry ${k} (${e}) is not a module-level function declaration`);
  }

  // The core: what the statements run at load reach without passing through an entry.
  const roots: string[] = [];
  for (const u of units) if (u.kind === "other") roots.push(...u.refs);
  const core = closure(roots, byName, (n) => entryNames.has(n));

  const wrapper = (key: string) => "$ovl_" + key;
  const entryKey = new Map<string, string>();
  for (const [k, e] of Object.entries(marker.entries)) entryKey.set(e, k);
  const plan: OverlayPlan = { overlays: {}, entries: { ...marker.entries } };
  const groups = new Map<string, Set<string>>();
  for (const [k, e] of Object.entries(marker.entries)) {
    const g = closure([e], byName, (n) => core.has(n) || (entryNames.has(n) && n !== e));
    groups.set(k, g);
    plan.overlays[k] = [e, ...[...g].filter((n) => n !== e).sort()];
  }
  const inSomeGroup = new Set<string>();
  for (const g of groups.values()) for (const n of g) inSomeGroup.add(n);
  const assigned = new Set<string>();
  walk(ast, (n) => {
    const target = (n.type === "AssignmentExpression" ? n.left : n.type === "UpdateExpression" ? n.argument : null) as Node | null;
    if (target && target.type === "Identifier") assigned.add(target.name as string);
  });
  const state = [...inSomeGroup].filter((n) => assigned.has(n) && byName.get(n)!.kind === "var");
  if (state.length) throw new Error(`overlays: module-level state would be made afresh on every run of an overlay: ${state.sort().join(", ")} (assigned after its declaration); keep it in the core or out of the module`);
  // What an overlay runs when it is made (its vars' initializers, its member assignments) must
  // not change anything outside it: that used to happen once, at load.
  for (const [k, g] of groups) {
    for (const u of units) {
      if (u.kind === "function" || !(u.kind === "attach" ? g.has(u.owner as string) : u.kind === "var" && u.names.some((n) => g.has(n)))) continue;
      const ast1 = parse(u.kind === "var" ? u.text : "(" + u.text.replace(/;$/, "") + ");", { ecmaVersion: 5, sourceType: "script" }) as unknown as Node;
      const visit = (x: unknown): void => {
        if (!x || typeof x !== "object") return;
        if (Array.isArray(x)) return x.forEach(visit);
        const n = x as Node;
        if (typeof n.type !== "string" || n.type === "FunctionExpression") return; // runs when called, not when made
        let t = (n.type === "AssignmentExpression" ? n.left : n.type === "UpdateExpression" ? n.argument : null) as Node | null;
        while (t && t.type === "MemberExpression") t = t.object as Node;
        if (t && t.type === "Identifier" && (t.name as string).charAt(0) === "$" && !g.has(t.name as string))
          throw new Error(`overlays: making overlay ${k} would change ${t.name as string}, which is outside it: ${u.text.slice(0, 80)}`);
        for (const key of Object.keys(n)) if (key !== "type" && key !== "start" && key !== "end") visit(n[key]);
      };
      visit(ast1);
    }
  }

  // Each unit's text with the uses of other overlays' entries turned into calls of their wrappers.
  const rewrite = (u: Unit, self: string | null): string => {
    if (![...u.refs].some((r) => entryNames.has(r) && r !== self)) return u.text;
    const ast1 = parse(u.text, { ecmaVersion: 5, sourceType: "script" }) as unknown as Node;
    const edits: { start: number; end: number; text: string }[] = [];
    walk(ast1, (n, parent) => {
      if (n.type !== "Identifier" || isPropertyAccess(n, parent) || isObjectKey(n, parent)) return;
      const name = n.name as string;
      if (!entryNames.has(name) || name === self) return;
      if (parent && parent.type === "FunctionDeclaration" && parent.id === n) return;
      edits.push({ start: n.start, end: n.end, text: wrapper(entryKey.get(name) as string) + "()" });
    });
    let out = "", at = 0;
    for (const ed of edits.sort((a, b) => a.start - b.start)) {
      out += u.text.slice(at, ed.start) + ed.text;
      at = ed.end;
    }
    return out + u.text.slice(at);
  };

  const moved = (u: Unit, g: Set<string>): boolean => u.kind === "attach" ? g.has(u.owner as string) : u.kind !== "other" && u.names.some((n) => g.has(n));
  const keep = units.filter((u) => !moved(u, inSomeGroup));
  const keptFunctions = keep.filter((u) => u.kind === "function");
  const rest = keep.filter((u) => u.kind !== "function");
  let out = "";
  // Espruino binds declarations only when it reaches them: every function first (the wrappers too).
  for (const u of keptFunctions) out += rewrite(u, null);
  for (const [k, e] of Object.entries(marker.entries)) {
    const g = groups.get(k) as Set<string>;
    const members = units.filter((u) => moved(u, g));
    out += "function " + wrapper(k) + "(){";
    for (const u of members.filter((m) => m.kind === "function")) out += rewrite(u, e);
    for (const u of members.filter((m) => m.kind !== "function")) out += rewrite(u, e);
    out += "return " + e + "}";
  }
  for (const u of rest) out += rewrite(u, null);
  return { code: out, plan };
}
