/**
 * A cursor over a code line's tokens, with the parser's error reporting: constructs outside the
 * subset are refused by name ("the ** operator is not supported"), anything else is "invalid
 * syntax" at the token. Pure.
 */
import { CompileError } from "./errors.js";
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

/** Moves through tokens; the last one ("end") is never passed. */
export class TokenCursor {
  protected pos = 0;

  constructor(protected readonly tokens: readonly Token[]) {}

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
}

/** Keywords of statements and expressions the subset leaves out. */
const UNSUPPORTED = new Set(
  (
    "as assert async await class def del except finally from global import lambda nonlocal " +
    "raise return try while with yield"
  ).split(" "),
);

/** Refuses a Python keyword: one the subset leaves out is named as such, others are misplaced. */
export function refuseKeyword(parser: TokenCursor, t: Token): never {
  if (typeof t.v === "string" && UNSUPPORTED.has(t.v))
    parser.fail(`'${t.v}' is not supported in templates`, t);
  parser.fail(`invalid syntax: unexpected '${t.v}'`, t);
}
