/**
 * Tokenizes the Python of one code line or `{{…}}` for the parser: names, numbers, strings
 * (with Python's escapes) and operators. Positions are offsets in the template source. Pure.
 */
import { CompileError } from "./errors.js";
import { MAX_INT } from "./limits.js";
import type { MappedText } from "./mapped-text.js";
import { readStringLiteral } from "./string-literal.js";

/** One token; `at` is its offset in the template source. */
export type Token =
  | { readonly t: "name"; readonly v: string; readonly at: number }
  | { readonly t: "int"; readonly v: bigint; readonly at: number }
  | { readonly t: "float"; readonly v: number; readonly at: number }
  | { readonly t: "str"; readonly v: string; readonly at: number }
  | { readonly t: "op"; readonly v: string; readonly at: number }
  | { readonly t: "end"; readonly v: ""; readonly at: number };

/** Python's reserved words (3.11). */
export const KEYWORDS = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except " +
    "finally for from global if import in is lambda nonlocal not or pass raise return try " +
    "while with yield"
  ).split(" "),
);

/** Python's operators and delimiters, by length: the longest match wins ("**=" over "*"). */
const OPERATORS: readonly ReadonlySet<string>[] = [
  new Set("**= //= >>= <<= ...".split(" ")),
  new Set("!= == <= >= // ** -> := += -= *= /= %= &= |= ^= @= << >>".split(" ")),
  new Set("+ - * / % @ & | ^ ~ < > ( ) [ ] { } , : . ; =".split(" ")),
];

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER =
  /0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?/y;
const STRING_PREFIX = /(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])?(?='|")/y;
const SPACE = /[ \t\f]+/y;
const STARTS_STRING = "'\"rRuUbBfF";

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

/** The tokens of `code`, ending with an "end" token. */
export function tokenize(code: MappedText): Token[] {
  return new Tokenizer(code).run();
}

class Tokenizer {
  private i = 0;
  private readonly out: Token[] = [];

  constructor(private readonly code: MappedText) {}

  private at(index = this.i): number {
    return this.code.sourceOffset(index);
  }

  private fail(problem: string, index = this.i): never {
    throw new CompileError(problem, this.at(index));
  }

  run(): Token[] {
    const s = this.code.text;
    while (this.i < s.length) {
      const ch = s[this.i] as string;
      if ((ch === " " || ch === "\t" || ch === "\f") && this.skip(SPACE)) continue;
      if (ch === "\n" || ch === "\r") {
        this.i++;
        continue;
      }
      if (ch === "\\" && (s[this.i + 1] === "\n" || s.startsWith("\r\n", this.i + 1))) {
        this.i += s[this.i + 1] === "\n" ? 2 : 3;
        continue;
      }
      if (ch === "#") this.fail("a comment cannot be inside {{ }}");
      const prefix = STARTS_STRING.includes(ch) ? this.match(STRING_PREFIX) : undefined;
      if (prefix !== undefined) {
        this.string(prefix);
        continue;
      }
      if (isDigit(ch) || (ch === "." && isDigit(s[this.i + 1] ?? ""))) {
        this.number();
        continue;
      }
      const name = this.match(NAME);
      if (name !== undefined) {
        this.out.push({ t: "name", v: name, at: this.at(this.i - name.length) });
        continue;
      }
      if (/[\p{L}\p{Nl}]/u.test(ch)) this.fail("only ASCII names are supported");
      const op = [3, 2, 1]
        .map((n) => s.slice(this.i, this.i + n))
        .find((o, k) => OPERATORS[k]?.has(o));
      if (op === undefined) this.fail(`invalid character ${JSON.stringify(ch)}`);
      this.out.push({ t: "op", v: op, at: this.at() });
      this.i += op.length;
    }
    this.out.push({ t: "end", v: "", at: this.at(s.length) });
    return this.out;
  }

  private skip(re: RegExp): boolean {
    return this.match(re) !== undefined;
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.i;
    const m = re.exec(this.code.text);
    if (m === null) return undefined;
    this.i += m[0].length;
    return m[0];
  }

  private number(): void {
    const start = this.i;
    const text = this.match(NUMBER) as string;
    const after = this.code.text.slice(this.i);
    if (/^[jJ]/.test(after)) this.fail("complex numbers are not supported", start);
    const word = /^[A-Za-z0-9_]+/.exec(after);
    if (word !== null && !KEYWORDS.has(word[0])) this.fail("invalid decimal literal", start);
    const digits = text.replace(/_/g, "");
    const at = this.at(start);
    if (/^0[xXoObB]/.test(digits) || /^[0-9]+$/.test(digits)) {
      if (/^0+[1-9]/.test(digits)) {
        this.fail("leading zeros in decimal integer literals are not permitted", start);
      }
      const v = BigInt(digits);
      if (v > MAX_INT) this.fail("integer literal too large", start);
      this.out.push({ t: "int", v, at });
    } else {
      this.out.push({ t: "float", v: Number(digits), at });
    }
  }

  private string(prefix: string): void {
    const start = this.i - prefix.length;
    const lower = prefix.toLowerCase();
    if (lower.includes("b")) this.fail("bytes literals are not supported", start);
    if (lower.includes("f")) this.fail("f-strings are not supported (use str.format())", start);
    const { value, end } = readStringLiteral(
      this.code.text,
      this.i,
      lower.includes("r"),
      (problem, index) => this.fail(problem, index ?? start),
    );
    this.i = end;
    // Adjacent literals are one string, as in Python: 'a' 'b' == 'ab'.
    const last = this.out[this.out.length - 1];
    if (last?.t === "str") {
      this.out[this.out.length - 1] = { t: "str", v: last.v + value, at: last.at };
    } else {
      this.out.push({ t: "str", v: value, at: this.at(start) });
    }
  }
}
