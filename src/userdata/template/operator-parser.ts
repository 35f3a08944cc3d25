/**
 * The operator levels of Python's expression grammar, from conditional expressions down to
 * calls, subscripts and method calls, with Python's precedence. Atoms (literals, names,
 * displays) come from the subclass. Refused constructs fail here with their position. Pure.
 */
import type { CompareOp, Expr, Keyword } from "./ast.js";
import { MAX_DEPTH } from "./limits.js";
import { METHOD_NAMES } from "./methods.js";
import { KEYWORDS, type Token } from "./py-tokens.js";
import { TokenCursor } from "./token-cursor.js";

const COMPARE = new Set(["==", "!=", "<", "<=", ">", ">="]);

/** Parses expressions; `atom` and `comprehension` are the subclass's. */
export abstract class OperatorParser extends TokenCursor {
  private depth = 0;

  /** A literal, name, call of a function, or bracketed display. */
  protected abstract atom(): Expr;

  /** `elt for t in it if c …` (the `for` is next). */
  protected abstract comprehension(elt: Expr, list: boolean, at: number): Expr;

  /** Comma-separated expressions; a tuple when there is a comma (Python's star_expressions). */
  expressions(): Expr {
    const first = this.expression();
    if (!this.isOp(",")) return first;
    const items = [first];
    while (this.takeOp(",")) {
      if (!this.startsExpression()) break;
      items.push(this.expression());
    }
    return { k: "tuple", items, at: first.at };
  }

  /** `x if c else y`, or an `or` chain. */
  expression(): Expr {
    this.enter();
    if (this.isKeyword("lambda")) this.fail("lambda is not supported");
    const body = this.disjunction();
    let result = body;
    if (this.isKeyword("if")) {
      const at = this.next().at;
      const test = this.disjunction();
      if (!this.takeKeyword("else")) this.unexpected("expected 'else'");
      result = { k: "cond", test, body, orelse: this.expression(), at };
    }
    this.depth--;
    return result;
  }

  startsExpression(): boolean {
    const t = this.peek();
    if (t.t === "end") return false;
    if (t.t === "name")
      return !KEYWORDS.has(t.v) || ["True", "False", "None", "not", "lambda"].includes(t.v);
    if (t.t === "op") return ["(", "[", "{", "-", "+", "~", "*"].includes(t.v);
    return true;
  }

  disjunction(): Expr {
    let left = this.conjunction();
    while (this.isKeyword("or")) {
      const at = this.next().at;
      left = { k: "or", left, right: this.conjunction(), at };
    }
    return left;
  }

  protected conjunction(): Expr {
    let left = this.inversion();
    while (this.isKeyword("and")) {
      const at = this.next().at;
      left = { k: "and", left, right: this.inversion(), at };
    }
    return left;
  }

  protected inversion(): Expr {
    if (!this.isKeyword("not")) return this.comparison();
    const at = this.next().at;
    this.enter();
    const operand = this.inversion();
    this.depth--;
    return { k: "not", operand, at };
  }

  protected comparison(): Expr {
    const first = this.sum();
    const ops: CompareOp[] = [];
    const rest: Expr[] = [];
    const ats: number[] = [];
    for (;;) {
      const t = this.peek();
      let op: CompareOp | undefined;
      if (t.t === "op" && COMPARE.has(t.v)) op = t.v as CompareOp;
      else if (this.isKeyword("in")) op = "in";
      else if (this.isKeyword("not") && this.isKeyword("in", 1)) op = "not in";
      else if (this.isKeyword("is")) op = this.isKeyword("not", 1) ? "is not" : "is";
      if (op === undefined) break;
      this.pos += op === "not in" || op === "is not" ? 2 : 1;
      const right = this.sum();
      if ((op === "is" || op === "is not") && !isSingleton(right)) {
        this.fail("'is' is only supported with None, True or False (use ==)", t);
      }
      ops.push(op);
      rest.push(right);
      ats.push(t.at);
    }
    return ops.length === 0 ? first : { k: "compare", first, ops, rest, ats, at: first.at };
  }

  protected sum(): Expr {
    let left = this.term();
    for (;;) {
      const t = this.peek();
      if (t.t !== "op" || (t.v !== "+" && t.v !== "-")) return left;
      this.next();
      left = { k: "binary", op: t.v, left, right: this.term(), at: t.at };
    }
  }

  protected term(): Expr {
    let left = this.factor();
    for (;;) {
      const t = this.peek();
      if (t.t !== "op" || !["*", "/", "//", "%"].includes(t.v)) return left;
      this.next();
      const op = t.v as "*" | "/" | "//" | "%";
      left = { k: "binary", op, left, right: this.factor(), at: t.at };
    }
  }

  protected factor(): Expr {
    const t = this.peek();
    if (t.t === "op" && (t.v === "-" || t.v === "+")) {
      this.next();
      this.enter();
      const operand = this.factor();
      this.depth--;
      return { k: t.v === "-" ? "neg" : "pos", operand, at: t.at };
    }
    const value = this.primary();
    if (this.isOp("**")) this.unexpected();
    return value;
  }

  protected primary(): Expr {
    let value = this.atom();
    for (;;) {
      if (this.isOp("(")) this.fail("only named functions and methods can be called");
      if (this.isOp("[")) value = this.subscript(value);
      else if (this.isOp(".")) value = this.method(value);
      else return value;
    }
  }

  protected subscript(obj: Expr): Expr {
    const at = this.next().at;
    let result: Expr;
    if (this.isOp(":") || (this.startsExpression() && this.sliceAhead())) {
      const lower = this.isOp(":") ? undefined : this.expression();
      this.expectOp(":");
      const upper = this.isOp(":") || this.isOp("]") ? undefined : this.expression();
      let step: Expr | undefined;
      if (this.takeOp(":") && !this.isOp("]")) step = this.expression();
      result = { k: "slice", obj, lower, upper, step, at };
    } else {
      result = { k: "index", obj, index: this.expressions(), at };
    }
    if (this.isOp(",") || this.isOp(":"))
      this.fail("multi-dimensional subscripts are not supported");
    this.expectOp("]");
    return result;
  }

  /** Whether a `:` follows the expression starting here (inside these brackets). */
  protected sliceAhead(): boolean {
    let depth = 0;
    for (let k = this.pos; k < this.tokens.length; k++) {
      const t = this.tokens[k] as Token;
      if (t.t === "end") return false;
      if (t.t !== "op") continue;
      if (["(", "[", "{"].includes(t.v)) depth++;
      else if ([")", "]", "}"].includes(t.v)) {
        if (depth === 0) return false;
        depth--;
      } else if (depth === 0 && t.v === ":") return true;
      else if (depth === 0 && t.v === ",") return false;
    }
    return false;
  }

  protected method(obj: Expr): Expr {
    this.next();
    const name = this.next();
    if (name.t !== "name" || KEYWORDS.has(name.v))
      this.fail("invalid syntax: expected a name after '.'", name);
    if (name.v.startsWith("_"))
      this.fail(`attributes starting with _ are not allowed: '${name.v}'`, name);
    if (!this.isOp("(")) {
      this.fail("attribute access is not supported (only method calls such as x.upper())", name);
    }
    if (!METHOD_NAMES.has(name.v)) this.fail(`unknown method '${name.v}'`, name);
    const { args, kwargs } = this.callArguments();
    return { k: "method", obj, name: name.v, args, kwargs, at: name.at };
  }

  /**
   * `( … )` after a function or method name; `bare`: the same without the parentheses, up to
   * the end (the inside of `{{ }}`, which bottle passes as a call's arguments).
   */
  callArguments(bare = false): { args: Expr[]; kwargs: Keyword[] } {
    if (!bare) this.expectOp("(");
    const closed = () => (bare ? this.atEnd() : this.isOp(")"));
    const args: Expr[] = [];
    const kwargs: Keyword[] = [];
    while (!closed()) {
      if (this.isOp("*") || this.isOp("**")) this.fail("unpacking with * is not supported");
      const t = this.peek();
      if (t.t === "name" && !KEYWORDS.has(t.v) && this.isOp("=", 1)) {
        this.pos += 2;
        if (kwargs.some((k) => k.name === t.v)) this.fail(`keyword argument repeated: ${t.v}`, t);
        kwargs.push({ name: t.v, value: this.expression(), at: t.at });
      } else {
        if (kwargs.length > 0) this.fail("positional argument follows keyword argument");
        const arg = this.expression();
        if (this.isKeyword("for")) {
          const comp = this.comprehension(arg, false, arg.at);
          if (args.length > 0 || !closed())
            this.fail("generator expression must be parenthesized", t);
          args.push(comp);
          break;
        }
        args.push(arg);
      }
      if (!this.takeOp(",")) break;
    }
    if (!bare) this.expectOp(")");
    return { args, kwargs };
  }

  /** Guards the recursion: Python refuses deep nesting too (its parser stops near 200 levels). */
  protected enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`expression nested more than ${MAX_DEPTH} levels deep`);
  }
}

function isSingleton(e: Expr): boolean {
  return e.k === "const" && (e.value === null || typeof e.value === "boolean");
}
