/**
 * `'%s-%02d' % (a, b)`: Python's printf-style formatting for the conversions templates use:
 * s r d i u x X o e E f F g G c and %%, with flags `-+ #0`, width and precision, and
 * `%(name)s` with a dict. `*` widths are refused. Pure.
 */
import { PyError } from "./errors.js";
import { MAX_SIZE } from "./limits.js";
import { formatFloat, layoutNumber, pad, type Spec } from "./format-spec.js";
import { numeric } from "./py-compare.js";
import { pyRepr, pyStr, tooLarge } from "./py-repr.js";
import { codePoints, pyLength, reprStr } from "./py-str.js";
import {
  PyDict,
  PyList,
  PyRange,
  PyTuple,
  type PyValue,
  type Runtime,
  typeName,
} from "./py-values.js";

const DIRECTIVE = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]+))?[hlL]?([\s\S])?/y;

/** `template % values`. */
export function printfFormat(template: string, values: PyValue, rt: Runtime): string {
  const args = values instanceof PyTuple ? values.items : [values];
  const mapping = values instanceof PyDict ? values : undefined;
  let used = 0;
  let out = "";
  let i = 0;
  while (i < template.length) {
    const percent = template.indexOf("%", i);
    if (percent < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, percent);
    DIRECTIVE.lastIndex = percent;
    const m = DIRECTIVE.exec(template) as RegExpExecArray;
    i = DIRECTIVE.lastIndex;
    const [, key, flags = "", width, precision, type] = m;
    if (type === undefined) throw new PyError("ValueError", "incomplete format");
    if (width === "*" || precision === "*")
      throw new PyError("NotSupported", "* widths in % formatting are not supported");
    if (
      type === "%" &&
      key === undefined &&
      flags === "" &&
      width === undefined &&
      precision === undefined
    ) {
      out += "%";
      continue;
    }
    let value: PyValue;
    if (key !== undefined) {
      if (mapping === undefined) throw new PyError("TypeError", "format requires a mapping");
      const found = mapping.get(key);
      if (found === undefined) throw new PyError("KeyError", reprStr(key));
      value = found;
    } else {
      if (used >= args.length)
        throw new PyError("TypeError", "not enough arguments for format string");
      value = args[used++] as PyValue;
    }
    out += convert(type, value, flags, width, precision, rt);
    if (out.length > MAX_SIZE) throw tooLarge();
  }
  // Python skips this check for anything with __getitem__ (a "mapping" to it): dict, list, range.
  const mappingLike =
    mapping !== undefined || values instanceof PyList || values instanceof PyRange;
  if (!(values instanceof PyTuple) && !mappingLike && used === 0) {
    throw new PyError("TypeError", "not all arguments converted during string formatting");
  }
  if (values instanceof PyTuple && used < args.length) {
    throw new PyError("TypeError", "not all arguments converted during string formatting");
  }
  return out;
}

function convert(
  type: string,
  value: PyValue,
  flags: string,
  width: string | undefined,
  precision: string | undefined,
  rt: Runtime,
): string {
  for (const n of [width, precision]) if (n !== undefined && Number(n) > MAX_SIZE) throw tooLarge();
  const spec: Spec = {
    fill: flags.includes("0") && !flags.includes("-") ? "0" : " ",
    align: flags.includes("-") ? "<" : undefined,
    sign: flags.includes("+") ? "+" : flags.includes(" ") ? " " : undefined,
    z: false,
    alt: flags.includes("#"),
    zero: flags.includes("0") && !flags.includes("-"),
    width: width === undefined ? 0 : Number(width),
    grouping: undefined,
    precision: precision === undefined ? undefined : Number(precision),
    type: "",
  };
  if (type === "s" || type === "r" || type === "a") {
    if (type === "a") throw new PyError("NotSupported", "%a is not supported");
    let text = type === "s" ? pyStr(value, rt) : pyRepr(value, rt);
    if (spec.precision !== undefined) text = codePoints(text).slice(0, spec.precision).join("");
    return pad("", "", text, { ...spec, fill: " " }, ">");
  }
  if (type === "c") {
    // %c takes a width and '-' only; precision and the other flags are ignored.
    const n = numeric(value);
    let char: string;
    if (typeof value === "string" && pyLength(value) === 1) char = value;
    else if (typeof n !== "bigint") throw new PyError("TypeError", "%c requires int or char");
    else if (n < 0n || n > 0x10ffffn)
      throw new PyError("OverflowError", "%c arg not in range(0x110000)");
    else char = String.fromCodePoint(Number(n));
    return pad("", "", char, { ...spec, fill: " " }, ">");
  }
  const n = numeric(value);
  if (n === undefined) {
    throw new PyError("TypeError", `%${type} format: a number is required, not ${typeName(value)}`);
  }
  if ("eEfFgG".includes(type)) {
    return formatFloat(Number(n), { ...spec, precision: spec.precision ?? 6, type });
  }
  if ("diu".includes(type)) return integer(typeof n === "number" ? truncate(n) : n, spec, "d");
  if ("xXo".includes(type)) {
    if (typeof n !== "bigint")
      throw new PyError("TypeError", `%${type} format: an integer is required, not float`);
    return integer(n, spec, type);
  }
  throw new PyError(
    "ValueError",
    `unsupported format character '${type}' (0x${type.codePointAt(0)?.toString(16)})`,
  );
}

function truncate(x: number): bigint {
  if (!Number.isFinite(x))
    throw new PyError("OverflowError", "cannot convert float infinity to integer");
  return BigInt(Math.trunc(x));
}

/** %d/%x/%o: the precision is a minimum number of digits; `#` adds 0x/0X/0o. */
function integer(n: bigint, spec: Spec, type: string): string {
  const base = type === "d" ? 10 : type === "o" ? 8 : 16;
  let digits = (n < 0n ? -n : n).toString(base);
  if (type === "X") digits = digits.toUpperCase();
  if (spec.precision !== undefined) digits = digits.padStart(spec.precision, "0");
  const prefix = spec.alt && type !== "d" ? (type === "o" ? "0o" : `0${type}`) : "";
  return layoutNumber(n < 0n, prefix, digits, "", { ...spec, precision: undefined }, 3);
}
