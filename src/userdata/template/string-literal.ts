/** Python string literals: quotes, triple quotes, raw strings and backslash escapes. Pure. */

/** Reports a problem at an index of the text (undefined: at the literal's start). */
type Fail = (problem: string, index?: number) => never;

const SIMPLE: Record<string, string> = {
  "\n": "",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** The literal whose opening quote is at `i` in `s`: its value and the index after it. */
export function readStringLiteral(
  s: string,
  i: number,
  raw: boolean,
  fail: Fail,
): { value: string; end: number } {
  const q = s[i] as string;
  const triple = s.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  let k = i + close.length;
  let value = "";
  for (;;) {
    if (k >= s.length) fail("unterminated string literal");
    if (s.startsWith(close, k)) return { value, end: k + close.length };
    const ch = s[k] as string;
    if (ch === "\n" && !triple) fail("unterminated string literal");
    if (ch !== "\\") {
      value += ch;
      k++;
    } else if (raw) {
      // A raw string keeps the backslash, and the character after it cannot end the string.
      const next = s[k + 1];
      if (next === undefined) fail("unterminated string literal");
      value += `\\${next}`;
      k += 2;
    } else {
      const escape = decodeEscape(s, k, fail);
      value += escape.value;
      k = escape.end;
    }
  }
}

/** The backslash escape at `k`: \n \t \\ \' \x41 \u00e9 \U0001F600 \101 …; unknown ones stay as written. */
function decodeEscape(s: string, k: number, fail: Fail): { value: string; end: number } {
  const c = s[k + 1];
  if (c === undefined) fail("unterminated string literal");
  if (c in SIMPLE) return { value: SIMPLE[c] as string, end: k + 2 };
  const octal = /^[0-7]{1,3}/.exec(s.slice(k + 1, k + 4));
  if (octal)
    return { value: String.fromCodePoint(parseInt(octal[0], 8)), end: k + 1 + octal[0].length };
  const width = c === "x" ? 2 : c === "u" ? 4 : c === "U" ? 8 : 0;
  if (width > 0) {
    const hex = s.slice(k + 2, k + 2 + width);
    if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex))
      fail(`truncated \\${c} escape in a string`, k);
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) fail("illegal Unicode character in a string", k);
    return { value: String.fromCodePoint(cp), end: k + 2 + width };
  }
  if (c === "N") fail("\\N{…} escapes are not supported", k);
  return { value: `\\${c}`, end: k + 2 };
}
