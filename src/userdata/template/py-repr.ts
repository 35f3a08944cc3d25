/** str() and repr() of values, as Python writes them. Pure (charges the runtime for big values). */
import { PyError } from "./errors.js";
import { MAX_DEPTH, MAX_SIZE } from "./limits.js";
import { floatRepr } from "./py-float.js";
import { reprStr } from "./py-str.js";
import type { PyIter } from "./py-values.js";
import {
  PyDict,
  PyFunc,
  PyList,
  PyRange,
  PyTuple,
  PyView,
  type PyValue,
  type Runtime,
} from "./py-values.js";

/** str(v). */
export function pyStr(v: PyValue, rt: Runtime): string {
  return typeof v === "string" ? v : pyRepr(v, rt);
}

/** repr(v). */
export function pyRepr(v: PyValue, rt: Runtime, depth = 0): string {
  switch (typeof v) {
    case "string":
      return reprStr(v);
    case "bigint":
      return v.toString();
    case "number":
      return floatRepr(v);
    case "boolean":
      return v ? "True" : "False";
  }
  if (v === null) return "None";
  if (depth >= MAX_DEPTH) {
    throw new PyError("RecursionError", `values nested more than ${MAX_DEPTH} levels deep`);
  }
  const items = (values: readonly PyValue[]) =>
    joined(
      values.map((x) => () => pyRepr(x, rt, depth + 1)),
      rt,
    );
  if (v instanceof PyList) return `[${items(v.items)}]`;
  if (v instanceof PyTuple) return `(${items(v.items)}${v.items.length === 1 ? "," : ""})`;
  if (v instanceof PyDict) {
    const pairs = [...v.entries.values()].map(
      ([k, x]) =>
        () =>
          `${pyRepr(k, rt, depth + 1)}: ${pyRepr(x, rt, depth + 1)}`,
    );
    return `{${joined(pairs, rt)}}`;
  }
  if (v instanceof PyRange) {
    const step = v.step === 1n ? "" : `, ${v.step}`;
    return `range(${v.start}, ${v.stop}${step})`;
  }
  if (v instanceof PyView) return `${v.typeName}([${items(v.items())}])`;
  const what =
    v instanceof PyFunc
      ? `the function ${v.name}`
      : `an object of type '${(v as PyIter).typeName}'`;
  throw new PyError("TypeError", `cannot print ${what} (Python would print a memory address)`);
}

/** Items joined by ", ", each charged, and the whole kept under the size limit. */
function joined(parts: readonly (() => string)[], rt: Runtime): string {
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    rt.spend(1);
    out += (i > 0 ? ", " : "") + (parts[i] as () => string)();
    if (out.length > MAX_SIZE) throw tooLarge();
  }
  return out;
}

/** The error for a value or output over the size limit. */
export function tooLarge(): PyError {
  return new PyError("LimitExceeded", `result larger than ${MAX_SIZE} characters or items`);
}
