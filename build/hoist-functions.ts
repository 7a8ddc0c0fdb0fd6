/**
 * Espruino does not hoist function declarations: `function a() { return m(); function m() {} }`
 * throws `"m" is not defined`, at the top level of a script as inside a function, because a
 * declaration binds its name only when execution reaches it. JavaScript binds every declaration
 * of a body before the body's first statement runs. This pass gives a bundle that order in the
 * text: in every function body (and the script's top level) each function declaration that
 * follows other code moves up, keeping the declarations' source order, to just after the leading
 * directives and declarations. That is exactly JavaScript's hoisting for declarations that stand
 * directly in a body; a declaration inside a block (`if (x) { function f() {} }`) has no portable
 * meaning in ES5 and the compatibility gate refuses it (build/compat-gate.ts,
 * `hoistingProblems`), as it refuses a bundle this pass has not put in order.
 */
import { parse } from "acorn";
import { walk, type Node } from "./compat-gate.ts";

interface Move { at: number; decls: Node[]; directiveBefore: boolean }

/** A body's statements: the Program's, or a function's block. */
export function bodyStatements(n: Node): Node[] | null {
  if (n.type === "Program") return n.body as Node[];
  if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression") return (n.body as Node).body as Node[];
  return null;
}

function isDirective(s: Node): boolean {
  return s.type === "ExpressionStatement" && typeof s.directive === "string";
}

/** The statements that may stand before any code: the directive prologue, then declarations (and empty statements). */
export function leadingCount(stmts: Node[]): number {
  let i = 0;
  while (i < stmts.length && isDirective(stmts[i])) i++;
  while (i < stmts.length && (stmts[i].type === "FunctionDeclaration" || stmts[i].type === "EmptyStatement")) i++;
  return i;
}

function bodyOpening(n: Node): number {
  return n.type === "Program" ? n.start : (n.body as Node).start + 1;
}

function findMoves(ast: unknown): Move[] {
  const moves: Move[] = [];
  walk(ast, (n) => {
    const stmts = bodyStatements(n);
    if (!stmts) return;
    const lead = leadingCount(stmts);
    const decls = stmts.slice(lead).filter((s) => s.type === "FunctionDeclaration");
    if (decls.length === 0) return;
    const at = lead > 0 ? stmts[lead - 1].end : bodyOpening(n);
    moves.push({ at, decls, directiveBefore: lead > 0 && isDirective(stmts[lead - 1]) });
  });
  return moves;
}

/** `source` with every movable function declaration moved to the top of its body. */
export function hoistFunctionDeclarations(source: string): string {
  const moves = findMoves(parse(source, { ecmaVersion: 5, sourceType: "script" }));
  if (moves.length === 0) return source;
  const cuts = moves.flatMap((m) => m.decls);
  // The text of [start, end) with every move inside it applied; a cut declaration's own inner
  // moves are applied when it is rendered at its new place.
  const render = (start: number, end: number): string => {
    const inside = (p: number) => p >= start && p <= end;
    const myCuts = cuts.filter((d) => d.start >= start && d.end <= end && !(d.start === start && d.end === end))
      .filter((d, _, all) => !all.some((o) => o !== d && o.start <= d.start && o.end >= d.end));
    const covered = (p: number) => myCuts.some((d) => p > d.start && p < d.end);
    const edits: { at: number; cutEnd: number; text: string }[] = [];
    for (const d of myCuts) edits.push({ at: d.start, cutEnd: d.end, text: ";" });
    for (const m of moves) {
      if (!inside(m.at) || m.at === end || covered(m.at)) continue;
      const text = m.decls.map((d) => render(d.start, d.end)).join("");
      edits.push({ at: m.at, cutEnd: m.at, text: (m.directiveBefore ? ";" : "") + text });
    }
    edits.sort((a, b) => a.at - b.at || a.cutEnd - b.cutEnd);
    let out = "";
    let pos = start;
    for (const e of edits) {
      out += source.slice(pos, e.at) + e.text;
      pos = e.cutEnd;
    }
    return out + source.slice(pos, end);
  };
  return render(0, source.length);
}
