/**
 * Python's str semantics where they differ from JavaScript's: whitespace (str.isspace),
 * strip/split, code-point lengths and indexes, code-point ordering and repr. Pure.
 */

/** The characters Python's str.isspace() accepts (JavaScript's \s differs: it has U+FEFF, lacks U+001C-1F and U+0085). */
const SPACE =
  "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING = new RegExp(`^[${SPACE}]+`);
const TRAILING = new RegExp(`[${SPACE}]+$`);
const RUNS = new RegExp(`[${SPACE}]+`);
const IS_SPACE = new RegExp(`^[${SPACE}]$`);
const SURROGATE = /[\ud800-\udfff]/;

/** Python's str.isspace() for one character. */
export function isSpace(ch: string): boolean {
  return IS_SPACE.test(ch);
}

/** str.strip() with no argument. */
export function strip(s: string): string {
  return s.replace(LEADING, "").replace(TRAILING, "");
}

/** str.lstrip()/rstrip()/strip() with an optional set of characters. */
export function stripChars(s: string, chars: string | null, left: boolean, right: boolean): string {
  if (chars === null) {
    let out = s;
    if (left) out = out.replace(LEADING, "");
    if (right) out = out.replace(TRAILING, "");
    return out;
  }
  const set = new Set(codePoints(chars));
  const cps = codePoints(s);
  let start = 0;
  let end = cps.length;
  if (left) while (start < end && set.has(cps[start] as string)) start++;
  if (right) while (end > start && set.has(cps[end - 1] as string)) end--;
  return cps.slice(start, end).join("");
}

/** str.split() with no separator: runs of whitespace, at most `maxsplit` splits (-1: all). */
export function splitWhitespace(s: string, maxsplit: number): string[] {
  const out: string[] = [];
  let rest = s.replace(LEADING, "");
  while (rest !== "") {
    if (maxsplit >= 0 && out.length === maxsplit) {
      out.push(rest);
      break;
    }
    const m = RUNS.exec(rest);
    if (m === null) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

/** str.rsplit() with no separator. */
export function rsplitWhitespace(s: string, maxsplit: number): string[] {
  if (maxsplit < 0) return splitWhitespace(s, -1);
  const out: string[] = [];
  let rest = s.replace(TRAILING, "");
  while (rest !== "") {
    if (out.length === maxsplit) {
      out.push(rest);
      break;
    }
    const m = lastRun(rest);
    if (m === undefined) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(m.end));
    rest = rest.slice(0, m.start);
  }
  return out.reverse();
}

function lastRun(s: string): { start: number; end: number } | undefined {
  let end = s.length;
  while (end > 0 && !isSpace(s[end - 1] as string)) end--;
  if (end === 0) return undefined;
  let start = end;
  while (start > 0 && isSpace(s[start - 1] as string)) start--;
  return { start, end };
}

/** The string as an array of code points (Python indexes by code point, JavaScript by UTF-16 unit). */
export function codePoints(s: string): string[] {
  return SURROGATE.test(s) ? Array.from(s) : s.split("");
}

/** len() of a str. */
export function pyLength(s: string): number {
  return SURROGATE.test(s) ? Array.from(s).length : s.length;
}

/** Compares two str by code point, as Python does (-1, 0, 1). */
export function compareStr(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) < (y[i] as number) ? -1 : 1;
  }
  return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
}

/** Characters str.isprintable() rejects (repr escapes them), besides the ASCII space it accepts. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** repr() of a str: quotes and escapes as Python chooses them. */
export function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch !== " " && UNPRINTABLE.test(ch))
      out += escapeCodePoint(ch.codePointAt(0) as number);
    else out += ch;
  }
  return out + quote;
}

function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}

/** Line boundaries of str.splitlines(). */
// eslint-disable-next-line no-control-regex -- Python counts these control characters as line breaks
const LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** str.splitlines(keepends). */
export function splitLines(s: string, keepends: boolean): string[] {
  const out: string[] = [];
  let pos = 0;
  for (const m of s.matchAll(LINE_BREAK)) {
    const end = (m.index as number) + m[0].length;
    out.push(s.slice(pos, keepends ? end : m.index));
    pos = end;
  }
  if (pos < s.length) out.push(s.slice(pos));
  return out;
}
