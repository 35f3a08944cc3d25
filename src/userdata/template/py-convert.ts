/** int() and float() of strings and numbers, with Python's accepted spellings. Pure. */
import { PyError } from "./errors.js";
import { boundedInt } from "./py-arith.js";
import { numeric } from "./py-compare.js";
import { reprStr, strip } from "./py-str.js";
import { type PyValue, typeName } from "./py-values.js";

const PREFIXES: Record<string, number> = { x: 16, o: 8, b: 2 };

/** int(v) or int(v, base). */
export function toInt(v: PyValue, base: bigint | undefined): bigint {
  if (base !== undefined && typeof v !== "string") {
    throw new PyError("TypeError", "int() can't convert non-string with explicit base");
  }
  if (typeof v === "string") return parseInt(v, base === undefined ? 10 : Number(base));
  const n = numeric(v);
  if (typeof n === "bigint") return n;
  if (typeof n === "number") {
    if (Number.isNaN(n)) throw new PyError("ValueError", "cannot convert float NaN to integer");
    if (!Number.isFinite(n))
      throw new PyError("OverflowError", "cannot convert float infinity to integer");
    return boundedInt(BigInt(Math.trunc(n)));
  }
  throw new PyError(
    "TypeError",
    `int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`,
  );
}

function parseInt(text: string, base: number): bigint {
  if (base !== 0 && (base < 2 || base > 36)) {
    throw new PyError("ValueError", "int() base must be >= 2 and <= 36, or 0");
  }
  const invalid = () =>
    new PyError("ValueError", `invalid literal for int() with base ${base}: ${reprStr(text)}`);
  const m = /^([+-]?)(?:0([xXoObB]))?(.*)$/s.exec(strip(text)) as RegExpExecArray;
  const [, sign, prefixLetter, rest] = m as unknown as [string, string, string | undefined, string];
  let radix = base;
  let digits = rest;
  if (prefixLetter !== undefined) {
    const prefixBase = PREFIXES[prefixLetter.toLowerCase()] as number;
    if (base === 0 || base === prefixBase) radix = prefixBase;
    else digits = `0${prefixLetter}${rest}`; // "0b1" in base 16 is a number, not a prefix
    if (radix === prefixBase && digits.startsWith("_")) digits = digits.slice(1);
  } else if (base === 0) {
    radix = 10;
    if (/^0/.test(digits) && !/^0(_?0)*$/.test(digits)) throw invalid();
  }
  if (!/^[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*$/.test(digits)) throw invalid();
  let value = 0n;
  for (const ch of digits.replace(/_/g, "")) {
    const d = parseInt36(ch);
    if (d >= radix) throw invalid();
    value = value * BigInt(radix) + BigInt(d);
    if (value > 2n ** 300n) throw new PyError("LimitExceeded", "integer larger than 2**256");
  }
  return boundedInt(sign === "-" ? -value : value);
}

function parseInt36(ch: string): number {
  const c = ch.toLowerCase().charCodeAt(0);
  return c <= 57 ? c - 48 : c - 87;
}

const FLOAT =
  /^[+-]?(?:(?:[0-9](?:_?[0-9])*)?(?:\.(?:[0-9](?:_?[0-9])*)?)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?|inf|infinity|nan)$/i;

/** float(v). */
export function toFloat(v: PyValue): number {
  if (typeof v === "string") {
    const text = strip(v);
    if (!FLOAT.test(text) || !/[0-9]|inf|nan/i.test(text) || /^[+-]?\.?(?:[eE]|$)/.test(text)) {
      throw new PyError("ValueError", `could not convert string to float: ${reprStr(v)}`);
    }
    const lower = text.toLowerCase().replace(/_/g, "");
    if (lower.endsWith("nan")) return NaN;
    if (lower.endsWith("inf") || lower.endsWith("infinity"))
      return lower.startsWith("-") ? -Infinity : Infinity;
    return Number(lower);
  }
  const n = numeric(v);
  if (n === undefined) {
    throw new PyError(
      "TypeError",
      `float() argument must be a string or a real number, not '${typeName(v)}'`,
    );
  }
  return Number(n);
}
