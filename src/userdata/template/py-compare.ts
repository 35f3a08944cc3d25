/** Truth, equality and ordering with Python's rules (1 == 1.0 == True, lists compare item by item). Pure. */
import { PyError } from "./errors.js";
import { MAX_DEPTH } from "./limits.js";
import { compareStr } from "./py-str.js";
import {
  PyDict,
  PyList,
  PyRange,
  PyTuple,
  PyView,
  type PyValue,
  type Runtime,
  typeName,
} from "./py-values.js";

/** Python's truth value: empty strings and containers, 0, 0.0 and None are false. */
export function truthy(v: PyValue): boolean {
  switch (typeof v) {
    case "string":
      return v !== "";
    case "bigint":
      return v !== 0n;
    case "number":
      return v !== 0;
    case "boolean":
      return v;
  }
  if (v === null) return false;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict) return v.entries.size > 0;
  if (v instanceof PyRange) return v.length > 0n;
  if (v instanceof PyView) return v.dict.entries.size > 0;
  return true;
}

/** A number as int (bigint) or float; bools are ints. Undefined for anything else. */
export function numeric(v: PyValue): bigint | number | undefined {
  if (typeof v === "bigint" || typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1n : 0n;
  return undefined;
}

function numbersEqual(a: bigint | number, b: bigint | number): boolean {
  if (typeof a === typeof b) return a === b;
  const [i, f] = (typeof a === "bigint" ? [a, b] : [b, a]) as [bigint, number];
  return Number.isInteger(f) && BigInt(f) === i;
}

/** a == b. */
export function pyEq(a: PyValue, b: PyValue, rt: Runtime, depth = 0): boolean {
  if (a === b && typeof a !== "number") return true;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined || y !== undefined)
    return x !== undefined && y !== undefined && numbersEqual(x, y);
  if (typeof a === "string" || typeof b === "string" || a === null || b === null) return false;
  if (depth >= MAX_DEPTH)
    throw new PyError("RecursionError", `values nested more than ${MAX_DEPTH} levels deep`);
  if (
    (a instanceof PyList && b instanceof PyList) ||
    (a instanceof PyTuple && b instanceof PyTuple)
  ) {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      rt.spend(1);
      const p = a.items[i] as PyValue;
      const q = b.items[i] as PyValue;
      if (p !== q && !pyEq(p, q, rt, depth + 1)) return false;
    }
    return true;
  }
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.entries.size !== b.entries.size) return false;
    for (const [key, [, value]] of a.entries) {
      rt.spend(1);
      const other = b.entries.get(key);
      if (other === undefined || (other[1] !== value && !pyEq(value, other[1], rt, depth + 1)))
        return false;
    }
    return true;
  }
  if (a instanceof PyRange && b instanceof PyRange) {
    const n = a.length;
    if (n !== b.length) return false;
    return n === 0n || (a.start === b.start && (n === 1n || a.step === b.step));
  }
  return false;
}

/** The comparison operators that order values. */
export type OrderOp = "<" | "<=" | ">" | ">=";

function order(op: OrderOp, c: number): boolean {
  return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
}

/** a < b (and the like): numbers, strings (by code point), lists with lists, tuples with tuples. */
export function pyOrder(op: OrderOp, a: PyValue, b: PyValue, rt: Runtime, depth = 0): boolean {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) {
    if (op === "<") return x < y;
    if (op === "<=") return x <= y;
    if (op === ">") return x > y;
    return x >= y;
  }
  if (typeof a === "string" && typeof b === "string") return order(op, compareStr(a, b));
  if (
    (a instanceof PyList && b instanceof PyList) ||
    (a instanceof PyTuple && b instanceof PyTuple)
  ) {
    if (depth >= MAX_DEPTH)
      throw new PyError("RecursionError", `values nested more than ${MAX_DEPTH} levels deep`);
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      rt.spend(1);
      const p = a.items[i] as PyValue;
      const q = b.items[i] as PyValue;
      if (!pyEq(p, q, rt, depth + 1)) return pyOrder(op, p, q, rt, depth + 1);
    }
    return order(op, a.items.length - b.items.length);
  }
  throw new PyError(
    "TypeError",
    `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
  );
}
