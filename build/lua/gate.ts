/**
 * The Lua gate, source half: constructs the Lua targets cannot run the way JavaScript does.
 * (The other half is in build/lua/plugin.ts: what it cannot lower, it reports.)
 *
 * - `var`: typescript-to-lua compiles a declaration to a `local` of its block, as for `let`. That
 *   means the same as `var` when every use of the name lies inside the declaring block (a `for`
 *   initialiser's block is the loop) and after the declaration. Anything else is refused, with
 *   the fix: declare the variable where its block encloses every use.
 * - Regular expressions, `Object.create`, `delete` of typed-array elements and getters/setters
 *   in object literals have no Lua equivalent the runtime provides.
 */
import * as ts from "typescript";

const SCOPES = new Set([
  ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile, ts.SyntaxKind.ForStatement, ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement, ts.SyntaxKind.CaseClause, ts.SyntaxKind.DefaultClause, ts.SyntaxKind.ModuleBlock,
]);

function at(sf: ts.SourceFile, pos: number, root: string): string {
  const { line, character } = sf.getLineAndCharacterOfPosition(pos);
  return `${sf.fileName.startsWith(root) ? sf.fileName.slice(root.length + 1) : sf.fileName}:${line + 1}:${character + 1}`;
}

function declaringScope(decl: ts.VariableDeclaration): ts.Node {
  let n: ts.Node = decl.parent; // the declaration list
  if (ts.isForStatement(n.parent) || ts.isForInStatement(n.parent) || ts.isForOfStatement(n.parent)) return n.parent;
  while (!SCOPES.has(n.kind)) n = n.parent;
  return n;
}

/** Problems in one source file (paths relative to `root`). */
export function checkLuaSource(sf: ts.SourceFile, checker: ts.TypeChecker, root: string): string[] {
  const problems: string[] = [];
  const uses = new Map<ts.Symbol, ts.Identifier[]>();
  const varDecls: ts.VariableDeclaration[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const s = checker.getSymbolAtLocation(n);
      if (s) {
        const list = uses.get(s);
        if (list) list.push(n);
        else uses.set(s, [n]);
      }
    } else if (ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.BlockScoped) === 0) {
      for (const d of n.declarations) varDecls.push(d);
    } else if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      problems.push(`${at(sf, n.getStart(), root)}: a regular expression (Lua has none; the runtime provides none)`);
    } else if (ts.isGetAccessor(n) || ts.isSetAccessor(n)) {
      problems.push(`${at(sf, n.getStart(), root)}: a getter or setter (write a method)`);
    } else if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "Object" && n.name.text === "create") {
      problems.push(`${at(sf, n.getStart(), root)}: Object.create (typescript-to-lua does not support it)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const checked = new Set<ts.Symbol>();
  for (const d of varDecls) {
    if (!ts.isIdentifier(d.name)) {
      problems.push(`${at(sf, d.getStart(), root)}: a destructuring var (write one var per name)`);
      continue;
    }
    const sym = checker.getSymbolAtLocation(d.name);
    if (!sym || checked.has(sym)) continue;
    checked.add(sym);
    // Every use must lie inside the block of a declaration of the name, after that declaration.
    const decls = varDecls.filter((x) => ts.isIdentifier(x.name) && checker.getSymbolAtLocation(x.name) === sym);
    for (const u of uses.get(sym) ?? []) {
      if (decls.some((x) => x.name === u)) continue;
      const covered = decls.some((x) => {
        const scope = declaringScope(x);
        return u.getStart() >= scope.getStart() && u.getEnd() <= scope.getEnd() && u.getStart() >= x.name.getEnd();
      });
      if (!covered) {
        problems.push(`${at(sf, u.getStart(), root)}: \`var ${d.name.text}\` (declared at ${at(sf, d.getStart(), root)}) is used outside its block or before its declaration: Lua scopes it like \`let\`; declare it where its block encloses every use`);
        break;
      }
    }
  }
  return problems;
}
