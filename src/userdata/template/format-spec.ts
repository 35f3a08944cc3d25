/**
 * Python's format-spec mini-language, `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`,
 * as format(value, spec) applies it to str, int, bool, float and None. Pure.
 */
import { PyError } from "./errors.js";
import { MAX_SIZE } from "./limits.js";
import { fixedText, floatRepr, generalText, sciFormatText } from "./py-float.js";
import { pyStr } from "./py-repr.js";
import { codePoints, pyLength } from "./py-str.js";
import { type PyValue, type Runtime, typeName } from "./py-values.js";

/** A parsed format spec. */
export interface Spec {
  fill: string;
  align: "<" | ">" | "=" | "^" | undefined;
  sign: "+" | "-" | " " | undefined;
  z: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: "," | "_" | undefined;
  precision: number | undefined;
  type: string;
}

const SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(z)?(#)?(0)?([0-9]+)?([,_])?(?:\.([0-9]+))?([a-zA-Z%])?$/su;

/** Parses a spec; throws ValueError as Python does for a malformed one. */
export function parseSpec(text: string): Spec {
  const m = SPEC.exec(text);
  if (m === null) throw new PyError("ValueError", "Invalid format specifier");
  const [, fill, align, sign, z, alt, zero, width, grouping, precision, type] = m;
  for (const n of [width, precision]) {
    if (n !== undefined && Number(n) > MAX_SIZE)
      throw new PyError("LimitExceeded", "format width or precision too large");
  }
  return {
    fill: fill ?? (zero !== undefined ? "0" : " "),
    align: align as Spec["align"],
    sign: sign as Spec["sign"],
    z: z !== undefined,
    alt: alt !== undefined,
    zero: zero !== undefined && fill === undefined,
    width: width === undefined ? 0 : Number(width),
    grouping: grouping as Spec["grouping"],
    precision: precision === undefined ? undefined : Number(precision),
    type: type ?? "",
  };
}

/** format(v, spec). */
export function formatValue(v: PyValue, specText: string, rt: Runtime): string {
  if (specText === "") return pyStr(v, rt);
  const spec = parseSpec(specText);
  if (typeof v === "string") return formatStr(v, spec);
  if (typeof v === "bigint" || typeof v === "boolean")
    return formatInt(typeof v === "boolean" ? BigInt(v) : v, spec);
  if (typeof v === "number") return formatFloat(v, spec);
  throw new PyError("TypeError", `unsupported format string passed to ${typeName(v)}.__format__`);
}

function formatStr(s: string, spec: Spec): string {
  if (spec.type !== "" && spec.type !== "s") throw unknownCode(spec.type, "str");
  if (spec.z)
    throw new PyError("ValueError", "Negative zero coercion (z) not allowed in format specifier");
  if (spec.sign !== undefined)
    throw new PyError("ValueError", "Sign not allowed in string format specifier");
  if (spec.alt)
    throw new PyError("ValueError", "Alternate form (#) not allowed in string format specifier");
  if (spec.grouping !== undefined)
    throw new PyError("ValueError", `Cannot specify '${spec.grouping}' with 's'.`);
  if (spec.align === "=")
    throw new PyError("ValueError", "'=' alignment not allowed in string format specifier");
  const text = spec.precision === undefined ? s : codePoints(s).slice(0, spec.precision).join("");
  return pad("", "", text, spec, "<");
}

function unknownCode(type: string, of: string): PyError {
  return new PyError("ValueError", `Unknown format code '${type}' for object of type '${of}'`);
}

const INT_BASES: Record<string, [number, string]> = {
  "": [10, ""],
  d: [10, ""],
  b: [2, "0b"],
  o: [8, "0o"],
  x: [16, "0x"],
  X: [16, "0X"],
};

/** An int (or bool) under a spec; float types convert it first, as Python does. */
export function formatInt(n: bigint, spec: Spec): string {
  if ("eEfFgG%".includes(spec.type) && spec.type !== "") return formatFloat(Number(n), spec);
  if (spec.precision !== undefined) {
    throw new PyError("ValueError", "Precision not allowed in integer format specifier");
  }
  if (spec.z) {
    throw new PyError(
      "ValueError",
      "Negative zero coercion (z) not allowed in integer format specifier",
    );
  }
  if (spec.type === "c") {
    if (spec.alt) {
      throw new PyError(
        "ValueError",
        "Alternate form (#) not allowed with integer format specifier 'c'",
      );
    }
    if (spec.grouping !== undefined)
      throw new PyError("ValueError", `Cannot specify '${spec.grouping}' with 'c'.`);
    if (spec.sign !== undefined)
      throw new PyError("ValueError", "Sign not allowed with integer format specifier 'c'");
    if (n < 0n || n > 0x10ffffn)
      throw new PyError("OverflowError", "%c arg not in range(0x110000)");
    return pad("", "", String.fromCodePoint(Number(n)), spec, ">");
  }
  const base = INT_BASES[spec.type];
  if (base === undefined) throw unknownCode(spec.type, "int");
  if (spec.grouping === "," && base[0] !== 10)
    throw new PyError("ValueError", `Cannot specify ',' with '${spec.type}'.`);
  let digits = (n < 0n ? -n : n).toString(base[0]);
  if (spec.type === "X") digits = digits.toUpperCase();
  return layoutNumber(n < 0n, spec.alt ? base[1] : "", digits, "", spec, base[0] === 10 ? 3 : 4);
}

/** A float under a spec. */
export function formatFloat(x: number, spec: Spec): string {
  const type = spec.type;
  if (type !== "" && !"eEfFgG%".includes(type)) throw unknownCode(type, "float");
  let negative = x < 0 || Object.is(x, -0);
  let value = Math.abs(x);
  if (type === "%") value *= 100;
  let body: string;
  if (!Number.isFinite(value)) body = Number.isNaN(value) ? "nan" : "inf";
  else if (type === "f" || type === "F" || type === "%")
    body = fixedText(value, spec.precision ?? 6, spec.alt);
  else if (type === "e" || type === "E") body = sciFormatText(value, spec.precision ?? 6, spec.alt);
  else if (type === "g" || type === "G")
    body = generalText(value, spec.precision ?? 6, spec.alt, false);
  else if (spec.precision === undefined) {
    body = floatRepr(value);
    if (spec.alt && !body.includes(".")) body = body.replace(/(?=e)|$/, ".");
  } else body = generalText(value, spec.precision, spec.alt, true);
  if (type === "E" || type === "F" || type === "G") body = body.toUpperCase();
  // z: a negative number that rounds to zero prints as 0 (Python 3.11).
  if (spec.z && Number.isFinite(value) && !/[1-9]/.test(body.replace(/e.*$/i, "")))
    negative = false;
  const [whole, rest] = splitNumber(body);
  return layoutNumber(negative, "", whole, rest + (type === "%" ? "%" : ""), spec, 3);
}

/** Splits "1234.5e+06" into the integer digits ("1234") and the rest (".5e+06"). */
function splitNumber(body: string): [string, string] {
  const m = /^[0-9]*/.exec(body) as RegExpExecArray;
  if (m[0] === "") return [body, ""];
  return [m[0], body.slice(m[0].length)];
}

/**
 * Sign, prefix, grouped integer digits and the rest, padded to the width. Zero padding (`=` with
 * fill "0") goes inside the grouping, as Python does it: 0,001,234.
 */
export function layoutNumber(
  negative: boolean,
  prefix: string,
  whole: string,
  rest: string,
  spec: Spec,
  groupSize: number,
): string {
  const sign = negative ? "-" : spec.sign === "+" ? "+" : spec.sign === " " ? " " : "";
  const numeric = /^[0-9a-fA-F]+$/.test(whole);
  const group = (digits: string) =>
    spec.grouping === undefined || !numeric
      ? digits
      : groupDigits(digits, groupSize, spec.grouping);
  const align = spec.align ?? (spec.zero ? "=" : ">");
  if (align === "=" && spec.fill === "0" && spec.grouping !== undefined && numeric) {
    const room = spec.width - sign.length - prefix.length - pyLength(rest);
    let digits = whole;
    while (group(digits).length < room) digits = `0${digits}`;
    return sign + prefix + group(digits) + rest;
  }
  return pad(sign + prefix, "", group(whole) + rest, { ...spec, align }, ">");
}

function groupDigits(digits: string, size: number, separator: string): string {
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= size)
    groups.unshift(digits.slice(Math.max(0, end - size), end));
  return groups.join(separator);
}

/** Pads `lead + middle + body` to the width; `=` puts the padding after `lead` (sign and prefix). */
export function pad(
  lead: string,
  middle: string,
  body: string,
  spec: Spec,
  defaultAlign: "<" | ">",
): string {
  const text = lead + middle + body;
  const missing = spec.width - pyLength(text);
  if (missing <= 0) return text;
  const fill = (n: number) => spec.fill.repeat(n);
  switch (spec.align ?? defaultAlign) {
    case "<":
      return text + fill(missing);
    case ">":
      return fill(missing) + text;
    case "^":
      return fill(Math.floor(missing / 2)) + text + fill(missing - Math.floor(missing / 2));
    case "=":
      return lead + fill(missing) + middle + body;
  }
}
