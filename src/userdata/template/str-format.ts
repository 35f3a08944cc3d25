/**
 * str.format(): `{}`, `{0}`, `{name}`, `!r`/`!s` and a format spec, `{{` and `}}`. Fields that
 * reach into a value (`{0.attr}`, `{0[key]}`) and nested fields in a spec are refused: the
 * first is how Python templates escape sandboxes. Pure.
 */
import { PyError } from "./errors.js";
import { MAX_SIZE } from "./limits.js";
import { formatValue } from "./format-spec.js";
import { pyRepr, pyStr, tooLarge } from "./py-repr.js";
import { reprStr } from "./py-str.js";
import type { PyValue, Runtime } from "./py-values.js";

/** `template.format(*args, **kwargs)`. */
export function strFormat(
  template: string,
  args: readonly PyValue[],
  kwargs: ReadonlyMap<string, PyValue>,
  rt: Runtime,
): string {
  let out = "";
  let auto: boolean | undefined;
  let next = 0;
  let i = 0;
  while (i < template.length) {
    const ch = template[i] as string;
    if (ch === "}") {
      if (template[i + 1] !== "}")
        throw new PyError("ValueError", "Single '}' encountered in format string");
      out += "}";
      i += 2;
      continue;
    }
    if (ch !== "{") {
      const stop = nextBrace(template, i);
      out += template.slice(i, stop);
      i = stop;
      continue;
    }
    if (template[i + 1] === "{") {
      out += "{";
      i += 2;
      continue;
    }
    const close = template.indexOf("}", i + 1);
    if (close < 0) throw new PyError("ValueError", "Single '{' encountered in format string");
    const field = template.slice(i + 1, close);
    if (field.includes("{"))
      throw new PyError("NotSupported", "nested fields in a format spec are not supported");
    const { name, conversion, spec } = splitField(field);
    let value: PyValue;
    if (name === "") {
      if (auto === false) {
        throw new PyError(
          "ValueError",
          "cannot switch from manual field specification to automatic field numbering",
        );
      }
      auto = true;
      value = positional(args, next++);
    } else if (/^[0-9]+$/.test(name)) {
      if (auto === true) {
        throw new PyError(
          "ValueError",
          "cannot switch from automatic field numbering to manual field specification",
        );
      }
      auto = false;
      value = positional(args, Number(name));
    } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      const found = kwargs.get(name);
      if (found === undefined) throw new PyError("KeyError", reprStr(name));
      value = found;
    } else {
      throw new PyError(
        "NotSupported",
        `format field '{${name}}' is not supported (only {}, {0} and {name})`,
      );
    }
    if (conversion === "r") value = pyRepr(value, rt);
    else if (conversion === "s") value = pyStr(value, rt);
    else if (conversion !== undefined) {
      throw new PyError("ValueError", `Unknown conversion specifier ${conversion}`);
    }
    out += formatValue(value, spec, rt);
    if (out.length > MAX_SIZE) throw tooLarge();
    i = close + 1;
  }
  return out;
}

function nextBrace(s: string, from: number): number {
  for (let k = from; k < s.length; k++) if (s[k] === "{" || s[k] === "}") return k;
  return s.length;
}

function positional(args: readonly PyValue[], index: number): PyValue {
  const value = args[index];
  if (value === undefined) {
    throw new PyError(
      "IndexError",
      `Replacement index ${index} out of range for positional args tuple`,
    );
  }
  return value;
}

/** `name!c:spec` → its parts. */
function splitField(field: string): { name: string; conversion: string | undefined; spec: string } {
  const colon = field.indexOf(":");
  const bang = field.indexOf("!");
  if (bang >= 0 && (colon < 0 || bang < colon)) {
    const after = field.slice(bang + 1);
    const conversion = after[0];
    if (conversion === undefined || (after.length > 1 && after[1] !== ":")) {
      throw new PyError("ValueError", "expected ':' after conversion specifier");
    }
    return { name: field.slice(0, bang), conversion, spec: after.slice(2) };
  }
  if (colon >= 0)
    return { name: field.slice(0, colon), conversion: undefined, spec: field.slice(colon + 1) };
  return { name: field, conversion: undefined, spec: "" };
}
