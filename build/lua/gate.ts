/**
 * The Lua gate, source half: constructs the Lua targets cannot run the way JavaScript does.
 * (The other half is in build/lua/plugin.ts: what it cannot lower, it reports.)
 *
 * - `var`: typescript-to-lua compiles a declaration to a `local` of its block, as for `let`. That
 *   means the same as `var` when every use of the name lies inside the declaring block (a `for`
 *   initialiser's block is the loop) and after the declaration. Anything else is refused, with
 *   the fix: declare the variable where its block encloses every use.
 * - Truthiness of a number, a string or an `any` (`if (n)`, `!s`, `x || d`, `c ? a : b`): in Lua
 *   0 and "" are true. Compare explicitly.
 * - Indexing an `any` with a number: typescript-to-lua adds 1 to array indices only when the type
 *   says array. Give the value its type.
 * - An array or string method called on an `any` (`x.join(",")`): typescript-to-lua compiles it as
 *   a Lua method call only the runtime's typed arrays would answer. Give the value its type.
 * - An array whose element type admits null or undefined (`(T | null)[]`): a Lua table cannot hold
 *   nil, so `push(null)` adds nothing and the later elements shift down.
 * - A map lookup (`m[k]`, m an object with an index signature) compared with `< > <= >=`: a missing
 *   key is undefined, which compares false in JavaScript and throws in Lua.
 * - `instanceof` anything but a class or a typed array (`instanceof Array`: use Array.isArray).
 * - Regular expressions, `Object.create`, `delete` of typed-array elements and getters/setters
 *   in object literals have no Lua equivalent the runtime provides.
 */
import * as ts from "typescript";

const SCOPES = new Set([
  ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile, ts.SyntaxKind.ForStatement, ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement, ts.SyntaxKind.CaseClause, ts.SyntaxKind.DefaultClause, ts.SyntaxKind.ModuleBlock,
]);

/**
 * Array and string methods: on an `any` receiver typescript-to-lua emits a method call on the Lua
 * value (`s:names():join(",")`), which a Lua table or string does not have.
 */
const BUILTIN_METHODS = new Set([
  "join", "push", "pop", "shift", "unshift", "slice", "splice", "concat", "indexOf", "lastIndexOf", "map", "forEach",
  "filter", "reduce", "some", "every", "sort", "reverse", "charAt", "charCodeAt", "substring", "substr", "split",
  "toUpperCase", "toLowerCase", "trim", "toString", "toFixed",
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
  const loose = (e: ts.Expression): boolean => {
    const t = checker.getTypeAtLocation(e);
    const bad = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NumberLike | ts.TypeFlags.StringLike;
    return t.isUnion() ? t.types.some((m) => (m.flags & bad) !== 0) : (t.flags & bad) !== 0;
  };
  /** Tests whose value is a boolean whatever the operand types (a call is judged by its return type). */
  const boolean = (e: ts.Expression): boolean => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return true;
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return true;
    if (!ts.isBinaryExpression(e)) return false;
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) return boolean(e.left) && (boolean(e.right) || !loose(e.right));
    return [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken,
      ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken,
      ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.InstanceOfKeyword, ts.SyntaxKind.InKeyword].includes(op);
  };
  /** `x || ""` and `x || null` give the same on both sides (nil and "" both end as the right value). */
  const sameEither = (right: ts.Expression): boolean =>
    (ts.isStringLiteral(right) && right.text === "") || right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(right) && right.text === "undefined");
  const truthy = (e: ts.Expression, how: string): void => {
    if (!boolean(e) && loose(e)) problems.push(`${at(sf, e.getStart(), root)}: ${how} of a number, string or any (${e.getText().slice(0, 40)}): 0 and "" are true in Lua; compare explicitly`);
  };
  /** A declaration whose type is an array with null or undefined among its element types. */
  const nullableElements = (d: ts.Node): boolean => {
    const t = checker.getTypeAtLocation(d);
    const arrays = t.isUnion() ? t.types : [t];
    return arrays.some((a) => {
      if (!checker.isArrayType(a)) return false;
      const el = checker.getTypeArguments(a as ts.TypeReference)[0];
      if (!el) return false;
      const members = el.isUnion() ? el.types : [el];
      return members.some((m) => (m.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0);
    });
  };
  /** `m[k]` on a map (an object with an index signature, not an array or a typed array): it may miss. */
  const mapLookup = (e: ts.Expression): boolean => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (!ts.isElementAccessExpression(e)) return false;
    const o = checker.getTypeAtLocation(e.expression);
    if (checker.isArrayType(o) || checker.isTupleType(o) || /^(Uint8|Uint16|Int32|Uint32|Float64)Array$/.test(o.symbol?.name ?? "")) return false;
    return checker.getIndexInfosOfType(o).length > 0;
  };
  const RELATIONAL = [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken];
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && RELATIONAL.includes(n.operatorToken.kind) && (mapLookup(n.left) || mapLookup(n.right))) {
      problems.push(`${at(sf, n.getStart(), root)}: a map lookup in a comparison (${n.getText().slice(0, 40)}): a missing key compares false in JavaScript and throws in Lua; test for undefined first`);
    }
    if (ts.isIfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n)) truthy(n.expression, "a test");
    else if (ts.isForStatement(n) && n.condition) truthy(n.condition, "a test");
    else if (ts.isConditionalExpression(n)) truthy(n.condition, "a ?: test");
    else if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken) truthy(n.operand, "`!`");
    else if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.BarBarToken || n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)) {
      if (!(n.operatorToken.kind === ts.SyntaxKind.BarBarToken && sameEither(n.right))) truthy(n.left, "`" + n.operatorToken.getText() + "`");
    } else if (ts.isElementAccessExpression(n)) {
      const o = checker.getTypeAtLocation(n.expression);
      const i = checker.getTypeAtLocation(n.argumentExpression);
      if ((o.flags & ts.TypeFlags.Any) !== 0 && (i.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.Any)) !== 0) {
        problems.push(`${at(sf, n.getStart(), root)}: indexing an \`any\` by a number (${n.getText().slice(0, 40)}): give it its array or typed-array type`);
      }
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && BUILTIN_METHODS.has(n.expression.name.text) &&
      !(n.expression.name.text === "split" && n.arguments.length === 0) /* Noise's CipherState split() */ &&
      (checker.getTypeAtLocation(n.expression.expression).flags & ts.TypeFlags.Any) !== 0) {
      problems.push(`${at(sf, n.getStart(), root)}: .${n.expression.name.text}() on an \`any\` (${n.getText().slice(0, 40)}): typescript-to-lua compiles an array's or string's methods only when the type says so; give it its type`);
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && ts.isIdentifier(n.right) && n.right.text === "Array") {
      problems.push(`${at(sf, n.getStart(), root)}: instanceof Array (write Array.isArray)`);
    }
    if ((ts.isVariableDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isPropertySignature(n) || ts.isParameter(n)) && nullableElements(n)) {
      problems.push(`${at(sf, n.getStart(), root)}: an array that may hold null or undefined (${n.getText().slice(0, 40)}): a Lua table cannot hold nil (push(null) adds nothing, later elements shift); use a value such as [] or -1`);
    }
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
