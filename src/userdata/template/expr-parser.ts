/**
 * Recursive-descent parser for the Python expression subset (Python 3's grammar and operator
 * precedence). Anything outside the subset is refused here, with its position, so a template
 * that parses can only call the functions and methods the engine implements. Pure.
 */
import type { CompClause, CompareOp, Expr, Keyword, Target } from "./ast.js";
import { BUILTIN_NAMES } from "./builtins.js";
import { CompileError } from "./errors.js";
import { MAX_DEPTH } from "./limits.js";
import { METHOD_NAMES } from "./methods.js";
import { KEYWORDS, type Token } from "./py-tokens.js";

const REFUSED_OPERATORS: Record<string, string> = {
  "**": "the ** operator is not supported",
  "|": "the | operator is not supported",
  "&": "the & operator is not supported",
  "^": "the ^ operator is not supported",
  "<<": "the << operator is not supported",
  ">>": "the >> operator is not supported",
  "@": "the @ operator is not supported",
  "~": "the ~ operator is not supported",
  ":=": "assignment expressions (:=) are not supported",
  "...": "Ellipsis (...) is not supported",
  "->": "invalid syntax",
};

const COMPARE = new Set(["==", "!=", "<", "<=", ">", ">="]);

export class ExprParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  /** The current token (`ahead` further). */
  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  isOp(v: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.t === "op" && t.v === v;
  }

  isKeyword(v: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.t === "name" && t.v === v;
  }

  atEnd(): boolean {
    return this.peek().t === "end";
  }

  takeOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.next();
    return true;
  }

  takeKeyword(v: string): boolean {
    if (!this.isKeyword(v)) return false;
    this.next();
    return true;
  }

  expectOp(v: string): Token {
    if (!this.isOp(v)) this.unexpected(`expected '${v}'`);
    return this.next();
  }

  fail(problem: string, token: Token = this.peek()): never {
    throw new CompileError(problem, token.at);
  }

  /** Fails on the current token: refused constructs get their own message, the rest "invalid syntax". */
  unexpected(expected?: string): never {
    const t = this.peek();
    if (t.t === "op" && t.v in REFUSED_OPERATORS) this.fail(REFUSED_OPERATORS[t.v] as string);
    if (t.t === "name" && KEYWORDS.has(t.v)) refuseKeyword(this, t);
    const what = t.t === "end" ? "end of expression" : `'${t.t === "str" ? "string" : t.v}'`;
    this.fail(`invalid syntax: unexpected ${what}${expected ? ` (${expected})` : ""}`);
  }

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
    if (t.t === "name") return !KEYWORDS.has(t.v) || ["True", "False", "None", "not", "lambda"].includes(t.v);
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

  private conjunction(): Expr {
    let left = this.inversion();
    while (this.isKeyword("and")) {
      const at = this.next().at;
      left = { k: "and", left, right: this.inversion(), at };
    }
    return left;
  }

  private inversion(): Expr {
    if (!this.isKeyword("not")) return this.comparison();
    const at = this.next().at;
    this.enter();
    const operand = this.inversion();
    this.depth--;
    return { k: "not", operand, at };
  }

  private comparison(): Expr {
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

  private sum(): Expr {
    let left = this.term();
    for (;;) {
      const t = this.peek();
      if (t.t !== "op" || (t.v !== "+" && t.v !== "-")) return left;
      this.next();
      left = { k: "binary", op: t.v, left, right: this.term(), at: t.at };
    }
  }

  private term(): Expr {
    let left = this.factor();
    for (;;) {
      const t = this.peek();
      if (t.t !== "op" || !["*", "/", "//", "%"].includes(t.v)) return left;
      this.next();
      const op = t.v as "*" | "/" | "//" | "%";
      left = { k: "binary", op, left, right: this.factor(), at: t.at };
    }
  }

  private factor(): Expr {
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

  private primary(): Expr {
    let value = this.atom();
    for (;;) {
      if (this.isOp("(")) this.fail("only named functions and methods can be called");
      if (this.isOp("[")) value = this.subscript(value);
      else if (this.isOp(".")) value = this.method(value);
      else return value;
    }
  }

  private subscript(obj: Expr): Expr {
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
    if (this.isOp(",") || this.isOp(":")) this.fail("multi-dimensional subscripts are not supported");
    this.expectOp("]");
    return result;
  }

  /** Whether a `:` follows the expression starting here (inside these brackets). */
  private sliceAhead(): boolean {
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

  private method(obj: Expr): Expr {
    this.next();
    const name = this.next();
    if (name.t !== "name" || KEYWORDS.has(name.v)) this.fail("invalid syntax: expected a name after '.'", name);
    if (name.v.startsWith("_")) this.fail(`attributes starting with _ are not allowed: '${name.v}'`, name);
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
          if (args.length > 0 || !closed()) this.fail("generator expression must be parenthesized", t);
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

  private atom(): Expr {
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

  private nameAtom(t: Token & { t: "name" }): Expr {
    if (t.v === "True" || t.v === "False" || t.v === "None") {
      this.next();
      return { k: "const", value: t.v === "None" ? null : t.v === "True", at: t.at };
    }
    if (KEYWORDS.has(t.v)) this.unexpected();
    if (t.v.startsWith("__")) this.fail(`names starting with __ are not allowed: '${t.v}'`);
    this.next();
    if (!this.isOp("(")) return { k: "name", name: t.v, at: t.at };
    if (t.v === "include" || t.v === "rebase") this.fail("include and rebase are not supported", t);
    if (!BUILTIN_NAMES.has(t.v)) this.fail(`unknown function '${t.v}'`, t);
    const { args, kwargs } = this.callArguments();
    return { k: "call", func: t.v, args, kwargs, at: t.at };
  }

  private parenthesized(): Expr {
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

  private listDisplay(): Expr {
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

  private dictDisplay(): Expr {
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
  private comprehension(elt: Expr, list: boolean, at: number): Expr {
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

  private startsTarget(): boolean {
    const t = this.peek();
    return (t.t === "name" && !KEYWORDS.has(t.v)) || this.isOp("(") || this.isOp("[");
  }

  private target(): Target {
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
    if (t.t !== "name" || KEYWORDS.has(t.v)) this.fail("invalid syntax: expected a name to assign to", t);
    if (t.v.startsWith("__")) this.fail(`names starting with __ are not allowed: '${t.v}'`, t);
    if (this.isOp(".") || this.isOp("[")) this.fail("only names can be assigned to");
    return { k: "name", name: t.v, at: t.at };
  }

  /** Guards the recursion: Python refuses deep nesting too (its parser stops near 200 levels). */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`expression nested more than ${MAX_DEPTH} levels deep`);
  }
}

/** Keywords of statements and expressions the subset leaves out. */
const UNSUPPORTED = new Set(
  (
    "as assert async await class def del except finally from global import lambda nonlocal " +
    "raise return try while with yield"
  ).split(" "),
);

/** Refuses a Python keyword: one the subset leaves out is named as such, others are misplaced. */
export function refuseKeyword(parser: ExprParser, t: Token): never {
  if (typeof t.v === "string" && UNSUPPORTED.has(t.v)) parser.fail(`'${t.v}' is not supported in templates`, t);
  parser.fail(`invalid syntax: unexpected '${t.v}'`, t);
}

function isSingleton(e: Expr): boolean {
  return e.k === "const" && (e.value === null || typeof e.value === "boolean");
}

/** Converts the left side of `=` into a target, or refuses it. */
export function toTarget(parser: ExprParser, e: Expr): Target {
  if (e.k === "name") return { k: "name", name: e.name, at: e.at };
  if (e.k === "tuple" || e.k === "list") {
    return { k: "unpack", items: e.items.map((item) => toTarget(parser, item)), at: e.at };
  }
  throw new CompileError("only names can be assigned to", e.at);
}
