/** Iteration, len(), indexing, slicing and `in`, with Python's rules and the engine's limits. Pure. */
import { PyError } from "./errors.js";
import { MAX_SIZE } from "./limits.js";
import { numeric, pyEq } from "./py-compare.js";
import { pyRepr, tooLarge } from "./py-repr.js";
import { codePoints, pyLength } from "./py-str.js";
import {
  PyDict,
  PyIter,
  PyList,
  PyRange,
  PyTuple,
  PyView,
  type PyValue,
  type Runtime,
  typeName,
} from "./py-values.js";

/** iter(v): its items one by one, each charged one step. */
export function* iterate(v: PyValue, rt: Runtime): Generator<PyValue, void, undefined> {
  if (v instanceof PyIter) {
    for (let r = v.source.next(); !r.done; r = v.source.next()) {
      rt.spend(1);
      yield r.value;
    }
    return;
  }
  if (v instanceof PyRange) {
    const n = v.length;
    for (let i = 0n; i < n; i++) {
      rt.spend(1);
      yield v.at(i);
    }
    return;
  }
  for (const item of items(v)) {
    rt.spend(1);
    yield item;
  }
}

/** The items of a finite container (not ranges or iterators). */
function items(v: PyValue): readonly PyValue[] {
  if (typeof v === "string") return codePoints(v);
  if (v instanceof PyList || v instanceof PyTuple) return v.items;
  if (v instanceof PyDict) return v.keys();
  if (v instanceof PyView) return v.items();
  throw new PyError("TypeError", `'${typeName(v)}' object is not iterable`);
}

/** list(v): all its items, refusing more than MAX_SIZE. */
export function materialize(v: PyValue, rt: Runtime): PyValue[] {
  if (v instanceof PyRange && v.length > BigInt(MAX_SIZE)) throw tooLarge();
  const out: PyValue[] = [];
  for (const item of iterate(v, rt)) {
    if (out.length >= MAX_SIZE) throw tooLarge();
    out.push(item);
  }
  return out;
}

/** len(v). */
export function length(v: PyValue): number {
  if (typeof v === "string") return pyLength(v);
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
  if (v instanceof PyDict) return v.entries.size;
  if (v instanceof PyView) return v.dict.entries.size;
  if (v instanceof PyRange) return Number(v.length);
  throw new PyError("TypeError", `object of type '${typeName(v)}' has no len()`);
}

/** An int usable as an index (ints and bools). */
export function toIndex(v: PyValue, what: string): bigint {
  const n = numeric(v);
  if (typeof n !== "bigint") throw new PyError("TypeError", what);
  return n;
}

/** obj[index]. */
export function getItem(obj: PyValue, index: PyValue, rt: Runtime): PyValue {
  if (obj instanceof PyDict) {
    const found = obj.get(index);
    if (found === undefined) throw new PyError("KeyError", pyRepr(index, rt));
    return found;
  }
  const name = typeName(obj);
  const isSeq =
    typeof obj === "string" ||
    obj instanceof PyList ||
    obj instanceof PyTuple ||
    obj instanceof PyRange;
  if (!isSeq) throw new PyError("TypeError", `'${name}' object is not subscriptable`);
  const what =
    typeof obj === "string"
      ? `string indices must be integers, not '${typeName(index)}'`
      : `${name} indices must be integers or slices, not ${typeName(index)}`;
  let i = toIndex(index, what);
  const n = BigInt(length(obj));
  if (i < 0n) i += n;
  if (i < 0n || i >= n) {
    throw new PyError(
      "IndexError",
      `${typeof obj === "string" ? "string" : name === "range" ? "range object" : name} index out of range`,
    );
  }
  if (obj instanceof PyRange) return obj.at(i);
  if (typeof obj === "string") return codePoints(obj)[Number(i)] as string;
  return (obj as PyList).items[Number(i)] as PyValue;
}

/** obj[lower:upper:step]. */
export function getSlice(obj: PyValue, bounds: readonly [PyValue, PyValue, PyValue]): PyValue {
  if (obj instanceof PyDict) throw new PyError("TypeError", "unhashable type: 'slice'");
  const isSeq =
    typeof obj === "string" ||
    obj instanceof PyList ||
    obj instanceof PyTuple ||
    obj instanceof PyRange;
  if (!isSeq) throw new PyError("TypeError", `'${typeName(obj)}' object is not subscriptable`);
  const what = "slice indices must be integers or None or have an __index__ method";
  const [lower, upper, stepValue] = bounds.map((b) => (b === null ? undefined : toIndex(b, what)));
  const n = length(obj);
  const { start, stop, step, count } = sliceIndices(n, lower, upper, stepValue);
  if (obj instanceof PyRange) {
    return new PyRange(obj.at(BigInt(start)), obj.at(BigInt(stop)), obj.step * BigInt(step));
  }
  const source = typeof obj === "string" ? codePoints(obj) : (obj as PyList).items;
  const picked: PyValue[] = [];
  for (let k = 0, i = start; k < count; k++, i += step) picked.push(source[i] as PyValue);
  if (typeof obj === "string") return (picked as string[]).join("");
  return obj instanceof PyList ? new PyList(picked) : new PyTuple(picked);
}

/** CPython's PySlice_AdjustIndices: the first index, the step and how many items a slice takes. */
export function sliceIndices(
  n: number,
  lower: bigint | undefined,
  upper: bigint | undefined,
  stepValue: bigint | undefined,
): { start: number; stop: number; step: number; count: number } {
  const big = BigInt(Number.MAX_SAFE_INTEGER);
  const clamp = (v: bigint) => Number(v > big ? big : v < -big ? -big : v);
  const step = stepValue === undefined ? 1 : clamp(stepValue);
  if (step === 0) throw new PyError("ValueError", "slice step cannot be zero");
  const adjust = (v: bigint | undefined, whenNone: number) => {
    if (v === undefined) return whenNone;
    let i = clamp(v);
    if (i < 0) {
      i += n;
      if (i < 0) i = step < 0 ? -1 : 0;
    } else if (i >= n) i = step < 0 ? n - 1 : n;
    return i;
  };
  const start = adjust(lower, step < 0 ? n - 1 : 0);
  const stop = adjust(upper, step < 0 ? -1 : n);
  let count = 0;
  if (step > 0 && stop > start) count = Math.floor((stop - start - 1) / step) + 1;
  if (step < 0 && start > stop) count = Math.floor((start - stop - 1) / -step) + 1;
  return { start, stop, step, count };
}

/** item in container. */
export function contains(container: PyValue, item: PyValue, rt: Runtime): boolean {
  if (typeof container === "string") {
    if (typeof item !== "string") {
      throw new PyError(
        "TypeError",
        `'in <string>' requires string as left operand, not ${typeName(item)}`,
      );
    }
    return container.includes(item);
  }
  if (container instanceof PyDict) return container.has(item);
  if (container instanceof PyView && container.typeName === "dict_keys")
    return container.dict.has(item);
  if (
    container instanceof PyRange &&
    numeric(item) !== undefined &&
    typeof numeric(item) === "bigint"
  ) {
    const i = numeric(item) as bigint;
    const { start, stop, step } = container;
    const inside = step > 0n ? i >= start && i < stop : i <= start && i > stop;
    return inside && (i - start) % step === 0n;
  }
  const isContainer =
    container instanceof PyList ||
    container instanceof PyTuple ||
    container instanceof PyRange ||
    container instanceof PyView ||
    container instanceof PyIter;
  if (!isContainer)
    throw new PyError("TypeError", `argument of type '${typeName(container)}' is not iterable`);
  for (const x of iterate(container, rt)) if (x === item || pyEq(x, item, rt)) return true;
  return false;
}
