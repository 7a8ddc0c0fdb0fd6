/**
 * The TypeScript-to-Lua plugin that lets the ES5 firmware sources compile to Lua unchanged
 * (docs/engines.md, The Lua contract). JavaScript semantics that Lua lacks are lowered here, by
 * the TypeScript types, to calls of the runtime (build/lua/runtime.lua):
 *
 * - `& | ^ << >> >>> ~` (and their compound assignments) become calls of the runtime's
 *   `band bor bxor shl sar shr bnot`, which give JavaScript's 32-bit results on every Lua: Lua 5.1
 *   has no bitwise operators, Lua 5.3's work on 64-bit integers.
 * - A store into a typed-array element converts the value as JavaScript's typed arrays do:
 *   Uint8Array `band(v, 255)` (skipped when v is provably a byte), Uint16Array `v % 2^16`, Int32Array `i32(v)`,
 *   Uint32Array `v % 2^32`, Float64Array none. A store into a value whose element kind the types
 *   do not tell (any, a union of kinds) is refused unless the value is 0.
 * - A function whose JSDoc has `@lua NAME` compiles to a call of the runtime's NAME with the
 *   same arguments (a per-target primitive, e.g. UTF-8 where Lua strings already are bytes).
 * - `var` is accepted (tstl refuses it): build/lua/gate.ts proves each one is used only inside
 *   its block and after its declaration, where `var` and `let` mean the same.
 *
 * Anything it cannot lower it reports as a diagnostic, which fails the build (the Lua gate).
 */
import * as ts from "typescript";
import * as lua from "typescript-to-lua";
import type { Plugin, TransformationContext } from "typescript-to-lua";

export type ElementKind = "u8" | "u16" | "i32" | "u32" | "f64";
const KIND_OF: Record<string, ElementKind> = { Uint8Array: "u8", Uint16Array: "u16", Int32Array: "i32", Uint32Array: "u32", Float64Array: "f64" };

const BITWISE: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.AmpersandToken]: "band",
  [ts.SyntaxKind.BarToken]: "bor",
  [ts.SyntaxKind.CaretToken]: "bxor",
  [ts.SyntaxKind.LessThanLessThanToken]: "shl",
  [ts.SyntaxKind.GreaterThanGreaterThanToken]: "sar",
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken]: "shr",
};

/** Compound assignment operator → its binary operator. */
const COMPOUND: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
  [ts.SyntaxKind.AmpersandEqualsToken]: ts.SyntaxKind.AmpersandToken,
  [ts.SyntaxKind.BarEqualsToken]: ts.SyntaxKind.BarToken,
  [ts.SyntaxKind.CaretEqualsToken]: ts.SyntaxKind.CaretToken,
  [ts.SyntaxKind.LessThanLessThanEqualsToken]: ts.SyntaxKind.LessThanLessThanToken,
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken]: ts.SyntaxKind.GreaterThanGreaterThanToken,
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  [ts.SyntaxKind.PlusEqualsToken]: ts.SyntaxKind.PlusToken,
  [ts.SyntaxKind.MinusEqualsToken]: ts.SyntaxKind.MinusToken,
  [ts.SyntaxKind.AsteriskEqualsToken]: ts.SyntaxKind.AsteriskToken,
};

const ARITH: Partial<Record<ts.SyntaxKind, lua.BinaryOperator>> = {
  [ts.SyntaxKind.PlusToken]: lua.SyntaxKind.AdditionOperator,
  [ts.SyntaxKind.MinusToken]: lua.SyntaxKind.SubtractionOperator,
  [ts.SyntaxKind.AsteriskToken]: lua.SyntaxKind.MultiplicationOperator,
};

/** Problems found while lowering (the Lua gate's second half); build/lua/build-lua.ts reports them. */
export const loweringProblems: string[] = [];

function where(node: ts.Node): string {
  const sf = node.getSourceFile();
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart());
  return `${sf.fileName.replace(/^.*?\/(firmware|hal|test-sim)\//, "$1/")}:${line + 1}:${character + 1}`;
}

function refuse(node: ts.Node, why: string): void {
  loweringProblems.push(`${where(node)}: ${why}`);
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** The element kinds a value of type `t` may have (empty: not a typed array; null: unknown). */
function kindsOf(t: ts.Type, checker: ts.TypeChecker): Set<ElementKind> | null {
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return null;
  if (t.isUnion()) {
    const out = new Set<ElementKind>();
    for (const m of t.types) {
      const k = kindsOf(m, checker);
      if (k === null) return null;
      k.forEach((x) => out.add(x));
    }
    return out;
  }
  if (t.flags & ts.TypeFlags.TypeParameter) {
    const c = checker.getBaseConstraintOfType(t);
    return c ? kindsOf(c, checker) : null;
  }
  const name = t.getSymbol()?.getName();
  return new Set(name && KIND_OF[name] ? [KIND_OF[name]] : []);
}

function isNumberLiteral(e: ts.Expression, pred: (v: number) => boolean): boolean {
  e = skipParens(e);
  return ts.isNumericLiteral(e) && pred(Number(e.text));
}

/** `e` is certainly an integer in 0..255 (no conversion needed to store it in a Uint8Array). */
function provablyByte(e: ts.Expression, checker: ts.TypeChecker): boolean {
  e = skipParens(e);
  if (isNumberLiteral(e, (v) => Number.isInteger(v) && v >= 0 && v <= 255)) return true;
  if (ts.isElementAccessExpression(e)) {
    const k = kindsOf(checker.getTypeAtLocation(e.expression), checker);
    return !!k && k.size === 1 && k.has("u8");
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandToken) {
      const small = (x: ts.Expression) => isNumberLiteral(x, (v) => Number.isInteger(v) && v >= 0 && v <= 255);
      return small(e.left) || small(e.right) || (provablyByte(e.left, checker) && provablyByte(e.right, checker));
    }
    if (op === ts.SyntaxKind.BarToken || op === ts.SyntaxKind.CaretToken) return provablyByte(e.left, checker) && provablyByte(e.right, checker);
  }
  return false;
}

function call(name: string, args: lua.Expression[], node?: ts.Node): lua.CallExpression {
  return lua.createCallExpression(lua.createIdentifier(name), args, node);
}

/** The Lua value of `v` converted for a store into an element of kind `k`. */
function convertForStore(k: ElementKind, v: lua.Expression, byte: boolean, node: ts.Node): lua.Expression {
  switch (k) {
    case "u8": return byte ? v : call("band", [v, lua.createNumericLiteral(255)], node);
    case "u16": return lua.createBinaryExpression(v, lua.createNumericLiteral(65536), lua.SyntaxKind.ModuloOperator, node);
    case "i32": return call("i32", [v], node);
    case "u32": return lua.createBinaryExpression(v, lua.createNumericLiteral(4294967296), lua.SyntaxKind.ModuloOperator, node);
    case "f64": return v;
  }
}

/** An index expression that may be evaluated twice (no calls, no assignments). */
function pureIndex(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e) || ts.isNumericLiteral(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return pureIndex(e.expression);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    return (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.AsteriskToken) && pureIndex(e.left) && pureIndex(e.right);
  }
  return false;
}

/**
 * A bitwise operand. A quotient (`n / B | 0`, the ES5 idiom for an integer division) is truncated
 * toward zero first (`trunc`), as ToInt32 does; every other operand must already be an integer
 * (the checked run, FL_CHECK, proves it for the self-test's vectors).
 */
function operand(e: ts.Expression, context: TransformationContext): lua.Expression {
  const inner = skipParens(e);
  const value = context.transformExpression(e);
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.SlashToken) return call("trunc", [value], e);
  return value;
}

/** Lua for `left OP right` where OP is a binary operator (bitwise or arithmetic). */
function binary(op: ts.SyntaxKind, left: lua.Expression, right: lua.Expression, node: ts.Node): lua.Expression {
  const fn = BITWISE[op];
  if (fn) return call(fn, [left, right], node);
  const a = ARITH[op];
  if (a === undefined) throw new Error("no lowering for operator " + ts.SyntaxKind[op]);
  return lua.createBinaryExpression(left, right, a, node);
}

/** The element kind of a typed-array element access, or undefined when `e` is not one. */
function storeKind(e: ts.Expression, context: TransformationContext): { kinds: Set<ElementKind> | null } | undefined {
  if (!ts.isElementAccessExpression(e)) return undefined;
  const kinds = kindsOf(context.checker.getTypeAtLocation(e.expression), context.checker);
  if (kinds && kinds.size === 0) return undefined; // a plain array or object: tstl's own handling
  return { kinds };
}

/**
 * The statements for an assignment the plugin must lower (a store into a typed-array element, or a
 * compound bitwise assignment), or undefined when tstl's own handling is right.
 */
function lowerAssignment(node: ts.BinaryExpression, context: TransformationContext): lua.Statement[] | undefined {
  const opKind = node.operatorToken.kind;
  const isPlain = opKind === ts.SyntaxKind.EqualsToken;
  const inner = COMPOUND[opKind];
  if (!isPlain && inner === undefined) return undefined;
  const target = skipParens(node.left);
  const store = storeKind(target, context);
  const bitwise = inner !== undefined && BITWISE[inner] !== undefined;
  if (!store && !bitwise) return undefined;
  if (!isPlain && ts.isElementAccessExpression(target) && !pureIndex(target.argumentExpression)) {
    refuse(node, "a compound assignment to an element whose index has side effects (write the index to a local first)");
    return [];
  }
  if (!isPlain && !ts.isIdentifier(target) && !ts.isElementAccessExpression(target) && !ts.isPropertyAccessExpression(target)) {
    refuse(node, "a compound bitwise assignment to something other than a variable, property or element");
    return [];
  }
  const left = context.transformExpression(target) as lua.AssignmentLeftHandSideExpression;
  const right = bitwise ? operand(node.right, context) : context.transformExpression(node.right);
  let value: lua.Expression = isPlain ? right : binary(inner!, context.transformExpression(target), right, node);
  if (store) {
    const kinds = store.kinds;
    const zero = isPlain && isNumberLiteral(node.right, (v) => v === 0);
    if (!zero) {
      if (!kinds || kinds.size !== 1) {
        if (!(kinds && kinds.size > 0 && [...kinds].every((k) => k === "f64"))) {
          refuse(node, "a store into a typed array whose element kind the types do not tell (type it as one of Uint8Array, Int32Array, Uint32Array, Float64Array)");
          return [];
        }
      } else {
        const k = [...kinds][0];
        value = convertForStore(k, value, isPlain && provablyByte(node.right, context.checker), node);
      }
    }
  }
  return [lua.createAssignmentStatement(left, value, node)];
}

/** `@lua NAME` in a function's JSDoc: the runtime primitive that replaces its body on Lua. */
function luaOverride(node: ts.FunctionDeclaration): string | undefined {
  for (const tag of ts.getJSDocTags(node)) {
    if (tag.tagName.text === "lua") {
      const c = typeof tag.comment === "string" ? tag.comment.trim().split(/\s/)[0] : "";
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(c)) throw new Error(`${where(node)}: @lua needs the runtime function's name`);
      return c;
    }
  }
  return undefined;
}

/**
 * Integer literals print as floats (`256.0`): on Lua 5.3 an integer literal makes integer
 * arithmetic, which wraps at 2^63 (at 2^31 on NodeMCU's 32-bit build) where JavaScript's doubles
 * stay exact; with float literals the arithmetic is IEEE doubles, as in JavaScript. (Lua 5.1 reads
 * both the same.) The runtime's `tostring` prints an integral float without the `.0`.
 */
class FloatLiteralPrinter extends lua.LuaPrinter {
  public printNumericLiteral(expression: lua.NumericLiteral) {
    const v = expression.value;
    const text = String(v);
    return this.createSourceNode(expression, Number.isInteger(v) && /^-?\d+$/.test(text) ? text + ".0" : text);
  }
}

export const luaPlugin: Plugin = {
  printer: (program, emitHost, fileName, file) => new FloatLiteralPrinter(emitHost, program, fileName).print(file),
  visitors: {
    [ts.SyntaxKind.NewExpression]: (node, context) => {
      // `new F(…)` calls the runtime's fl_new: a class, a typed array, or an ES5 constructor
      // function that returns its object (firmware/crypto/hmac.ts HmacSha256).
      const args = (node.arguments ?? []).map((a) => {
        if (ts.isSpreadElement(a)) refuse(a, "spread arguments to new");
        return context.transformExpression(a);
      });
      return call("fl_new", [context.transformExpression(node.expression), ...args], node);
    },
    [ts.SyntaxKind.BinaryExpression]: (node, context) => {
      const op = node.operatorToken.kind;
      const fn = BITWISE[op];
      if (fn) return call(fn, [operand(node.left, context), operand(node.right, context)], node);
      const lowered = lowerAssignment(node, context);
      if (lowered) {
        context.addPrecedingStatements(lowered);
        const target = skipParens(node.left);
        if (ts.isElementAccessExpression(target) && !pureIndex(target.argumentExpression)) {
          refuse(node, "a typed-array store used as a value, with an index that has side effects");
        }
        return context.transformExpression(target);
      }
      return context.superTransformExpression(node);
    },
    [ts.SyntaxKind.PrefixUnaryExpression]: (node, context) => {
      if (node.operator === ts.SyntaxKind.TildeToken) return call("bnot", [context.transformExpression(node.operand)], node);
      const operand = skipParens(node.operand);
      const store = (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) ? storeKind(operand, context) : undefined;
      if (store && ts.isElementAccessExpression(operand)) {
        // ++a[i] / --a[i]: the converted store first, then the element's new value.
        if (!pureIndex(operand.argumentExpression) || !store.kinds || store.kinds.size !== 1) {
          refuse(node, "++/-- on a typed-array element whose index has side effects or whose kind the types do not tell");
          return context.superTransformExpression(node);
        }
        const op = node.operator === ts.SyntaxKind.PlusPlusToken ? lua.SyntaxKind.AdditionOperator : lua.SyntaxKind.SubtractionOperator;
        const sum = lua.createBinaryExpression(context.transformExpression(operand), lua.createNumericLiteral(1), op, node);
        const left = context.transformExpression(operand) as lua.AssignmentLeftHandSideExpression;
        context.addPrecedingStatements(lua.createAssignmentStatement(left, convertForStore([...store.kinds][0], sum, false, node), node));
        return context.transformExpression(operand);
      }
      return context.superTransformExpression(node);
    },
    [ts.SyntaxKind.PostfixUnaryExpression]: (node, context) => {
      if (storeKind(skipParens(node.operand), context)) refuse(node, "++/-- on a typed-array element (write `a[i] += 1`)");
      return context.superTransformExpression(node);
    },
    [ts.SyntaxKind.ExpressionStatement]: (node, context) => {
      const e = skipParens(node.expression);
      if (ts.isBinaryExpression(e)) {
        const lowered = lowerAssignment(e, context);
        if (lowered) return lowered;
      }
      return context.superTransformStatements(node);
    },
    [ts.SyntaxKind.FunctionDeclaration]: (node, context) => {
      const name = luaOverride(node);
      if (!name || !node.body) return context.superTransformStatements(node);
      const stmts = context.superTransformStatements(node);
      // Replace the body of the produced function with the call (parameters keep tstl's names).
      const replaceBody = (s: lua.Node): boolean => {
        const visit = (n: unknown): boolean => {
          if (!n || typeof n !== "object") return false;
          const f = n as lua.FunctionExpression;
          if (f.kind === lua.SyntaxKind.FunctionExpression && f.body) {
            const params = (f.params ?? []).filter((p) => p.text !== "self").map((p) => lua.createIdentifier(p.text));
            f.body.statements = [lua.createReturnStatement([call(name, params)])];
            return true;
          }
          for (const k of Object.keys(n as object)) if (k !== "parent" && visit((n as Record<string, unknown>)[k])) return true;
          return false;
        };
        return visit(s);
      };
      if (!stmts.some(replaceBody)) refuse(node, "@lua: could not find the compiled function body");
      return stmts;
    },
  },
};

export default luaPlugin;
