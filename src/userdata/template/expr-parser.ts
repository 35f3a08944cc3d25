/**
 * Recursive-descent parser for the Python expression subset (Python 3's grammar): atoms,
 * displays, comprehensions and assignment targets on top of the operator levels. Anything
 * outside the subset is refused with its position, so a template that parses can only call
 * the functions and methods the engine implements. Pure.
 */
import type { CompClause, Expr, Target } from "./ast.js";
import { HELPER_NAMES } from "./bottle-helpers.js";
import { BUILTIN_NAMES } from "./builtins.js";
import { CompileError } from "./errors.js";
import { OperatorParser } from "./operator-parser.js";
import { KEYWORDS, type Token } from "./py-tokens.js";

/** Parses the expressions and targets of one code line or `{{…}}`. */
export class ExprParser extends OperatorParser {
  protected atom(): Expr {
    const t = this.peek();
    switch (t.t) {
      case "int":
      case "float":
      case "str":
        this.next();
        return { k: "const", value: t.v, at: t.at };
      case "name":
        return this.nameAtom(t);
      case "op":
        if (t.v === "(") return this.parenthesized();
        if (t.v === "[") return this.listDisplay();
        if (t.v === "{") return this.dictDisplay();
        if (t.v === "*") this.fail("unpacking with * is not supported");
        return this.unexpected();
      default:
        return this.unexpected();
    }
  }

  protected nameAtom(t: Token & { t: "name" }): Expr {
    if (t.v === "True" || t.v === "False" || t.v === "None") {
      this.next();
      return { k: "const", value: t.v === "None" ? null : t.v === "True", at: t.at };
    }
    if (KEYWORDS.has(t.v)) this.unexpected();
    if (t.v.startsWith("__")) this.fail(`names starting with __ are not allowed: '${t.v}'`);
    this.next();
    if (!this.isOp("(")) return { k: "name", name: t.v, at: t.at };
    if (t.v === "include" || t.v === "rebase") this.fail("include and rebase are not supported", t);
    if (!BUILTIN_NAMES.has(t.v) && !HELPER_NAMES.has(t.v))
      this.fail(`unknown function '${t.v}'`, t);
    const { args, kwargs } = this.callArguments();
    return { k: "call", func: t.v, args, kwargs, at: t.at };
  }

  protected parenthesized(): Expr {
    const at = this.next().at;
    if (this.takeOp(")")) return { k: "tuple", items: [], at };
    if (this.isKeyword("yield")) this.fail("'yield' is not supported");
    const first = this.expression();
    if (this.isKeyword("for")) {
      const comp = this.comprehension(first, false, at);
      this.expectOp(")");
      return comp;
    }
    if (this.takeOp(")")) return first;
    const items = [first];
    while (this.takeOp(",")) {
      if (this.isOp(")")) break;
      items.push(this.expression());
    }
    this.expectOp(")");
    return { k: "tuple", items, at };
  }

  protected listDisplay(): Expr {
    const at = this.next().at;
    const items: Expr[] = [];
    while (!this.isOp("]")) {
      items.push(this.expression());
      if (items.length === 1 && this.isKeyword("for")) {
        const comp = this.comprehension(items[0] as Expr, true, at);
        this.expectOp("]");
        return comp;
      }
      if (!this.takeOp(",")) break;
    }
    this.expectOp("]");
    return { k: "list", items, at };
  }

  protected dictDisplay(): Expr {
    const at = this.next().at;
    const keys: Expr[] = [];
    const values: Expr[] = [];
    while (!this.isOp("}")) {
      if (this.isOp("**")) this.fail("unpacking with ** is not supported");
      keys.push(this.expression());
      if (!this.isOp(":")) this.fail("set literals are not supported");
      this.next();
      values.push(this.expression());
      if (this.isKeyword("for")) this.fail("dict comprehensions are not supported");
      if (!this.takeOp(",")) break;
    }
    this.expectOp("}");
    return { k: "dict", keys, values, at };
  }

  /** `elt for t in it if c …` (the `for` is next). */
  protected comprehension(elt: Expr, list: boolean, at: number): Expr {
    const clauses: CompClause[] = [];
    while (this.takeKeyword("for")) {
      const target = this.targetList();
      if (!this.takeKeyword("in")) this.unexpected("expected 'in'");
      const iter = this.disjunction();
      const conds: Expr[] = [];
      while (this.takeKeyword("if")) conds.push(this.disjunction());
      clauses.push({ target, iter, conds });
    }
    return { k: "comp", list, elt, clauses, at };
  }

  /** Loop targets: `x`, `k, v`, `i, (a, b)`, `[a, b]`. */
  targetList(): Target {
    const first = this.target();
    if (!this.isOp(",")) return first;
    const items = [first];
    while (this.takeOp(",")) {
      if (!this.startsTarget()) break;
      items.push(this.target());
    }
    return { k: "unpack", items, at: first.at };
  }

  protected startsTarget(): boolean {
    const t = this.peek();
    return (t.t === "name" && !KEYWORDS.has(t.v)) || this.isOp("(") || this.isOp("[");
  }

  protected target(): Target {
    const t = this.next();
    if (t.t === "op" && (t.v === "(" || t.v === "[")) {
      const close = t.v === "(" ? ")" : "]";
      const items: Target[] = [];
      while (!this.isOp(close)) {
        items.push(this.target());
        if (!this.takeOp(",")) break;
      }
      this.expectOp(close);
      return { k: "unpack", items, at: t.at };
    }
    if (t.t === "op" && t.v === "*") this.fail("starred assignment is not supported", t);
    if (t.t !== "name" || KEYWORDS.has(t.v))
      this.fail("invalid syntax: expected a name to assign to", t);
    if (t.v.startsWith("__")) this.fail(`names starting with __ are not allowed: '${t.v}'`, t);
    if (this.isOp(".") || this.isOp("[")) this.fail("only names can be assigned to");
    return { k: "name", name: t.v, at: t.at };
  }
}

/** Converts the left side of `=` into a target, or refuses it. */
export function toTarget(parser: ExprParser, e: Expr): Target {
  if (e.k === "name") return { k: "name", name: e.name, at: e.at };
  if (e.k === "tuple" || e.k === "list") {
    return { k: "unpack", items: e.items.map((item) => toTarget(parser, item)), at: e.at };
  }
  throw new CompileError("only names can be assigned to", e.at);
}
