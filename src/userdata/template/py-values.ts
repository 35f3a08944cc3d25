/**
 * Python values as the engine holds them: str is a string, int a bigint (Python's are
 * unbounded), float a number, bool a boolean, None null; lists, tuples, dicts, ranges, dict
 * views, one-shot iterators (enumerate, zip, generator expressions) and functions are small
 * classes. Templates cannot mutate containers, so they are shared freely. Pure.
 */
import { PyError } from "./errors.js";
import { MAX_DEPTH } from "./limits.js";

/** Any value a template expression can produce. */
export type PyValue =
  | string
  | bigint
  | number
  | boolean
  | null
  | PyList
  | PyTuple
  | PyDict
  | PyRange
  | PyView
  | PyIter
  | PyFunc;

/** What a rendering offers the operations that need it. */
export interface Runtime {
  /** Charges work units; throws when the rendering has used its share. */
  spend(units: number): void;
  /** The template's global names: values, assignments, helpers. */
  readonly env: Map<string, PyValue>;
}

/** A Python list. */
export class PyList {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A Python tuple. */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A Python dict: insertion-ordered, keyed by `hashKey`, keeping the first key object as Python does. */
export class PyDict {
  constructor(readonly entries: ReadonlyMap<string, readonly [PyValue, PyValue]>) {}

  /** A dict from pairs, later values replacing earlier ones for equal keys. */
  static from(pairs: Iterable<readonly [PyValue, PyValue]>): PyDict {
    const entries = new Map<string, readonly [PyValue, PyValue]>();
    for (const [k, v] of pairs) {
      const h = hashKey(k);
      const old = entries.get(h);
      entries.set(h, [old === undefined ? k : old[0], v]);
    }
    return new PyDict(entries);
  }

  /** The value for `key`, or undefined. */
  get(key: PyValue): PyValue | undefined {
    return this.entries.get(hashKey(key))?.[1];
  }

  has(key: PyValue): boolean {
    return this.entries.has(hashKey(key));
  }

  keys(): PyValue[] {
    return [...this.entries.values()].map(([k]) => k);
  }
}

/** A Python range (lazy: `range(10**18)` costs nothing until iterated). */
export class PyRange {
  constructor(
    readonly start: bigint,
    readonly stop: bigint,
    readonly step: bigint,
  ) {}

  get length(): bigint {
    const { start, stop, step } = this;
    if (step > 0n) return stop > start ? (stop - start - 1n) / step + 1n : 0n;
    return start > stop ? (start - stop - 1n) / -step + 1n : 0n;
  }

  /** The i-th element (0 <= i < length). */
  at(i: bigint): bigint {
    return this.start + i * this.step;
  }
}

/** dict.keys(), .values() or .items(): re-iterable views of a dict. */
export class PyView {
  constructor(
    readonly typeName: "dict_keys" | "dict_values" | "dict_items",
    readonly dict: PyDict,
  ) {}

  items(): PyValue[] {
    const pairs = [...this.dict.entries.values()];
    if (this.typeName === "dict_keys") return pairs.map(([k]) => k);
    if (this.typeName === "dict_values") return pairs.map(([, v]) => v);
    return pairs.map(([k, v]) => new PyTuple([k, v]));
  }
}

/** A one-shot iterator (enumerate, zip, reversed, a generator expression). */
export class PyIter {
  constructor(
    readonly typeName: string,
    readonly source: Iterator<PyValue>,
  ) {}
}

/** Arguments of a call: positional, then keyword. */
export interface CallArgs {
  readonly args: readonly PyValue[];
  readonly kwargs: ReadonlyMap<string, PyValue>;
}

/** A callable: a builtin, a bottle helper. */
export class PyFunc {
  constructor(
    readonly name: string,
    readonly call: (call: CallArgs, rt: Runtime) => PyValue,
  ) {}
}

/** Python's type name of a value, for error messages. */
export function typeName(v: PyValue): string {
  switch (typeof v) {
    case "string":
      return "str";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "boolean":
      return "bool";
  }
  if (v === null) return "NoneType";
  if (v instanceof PyList) return "list";
  if (v instanceof PyTuple) return "tuple";
  if (v instanceof PyDict) return "dict";
  if (v instanceof PyRange) return "range";
  if (v instanceof PyFunc) return "builtin_function_or_method";
  return v.typeName;
}

/**
 * The key a dict files `v` under: equal keys (1, 1.0, True) share one, as in Python; lists and
 * dicts are unhashable.
 */
export function hashKey(v: PyValue, depth = 0): string {
  switch (typeof v) {
    case "string":
      return `s${v}`;
    case "bigint":
      return `n${v}`;
    case "boolean":
      return v ? "n1" : "n0";
    case "number":
      if (Number.isInteger(v)) return `n${BigInt(v)}`;
      return `f${v}`;
  }
  if (v === null) return "N";
  if (v instanceof PyTuple) {
    if (depth >= MAX_DEPTH) {
      throw new PyError("RecursionError", `values nested more than ${MAX_DEPTH} levels deep`);
    }
    return `t${JSON.stringify(v.items.map((item) => hashKey(item, depth + 1)))}`;
  }
  if (v instanceof PyRange) return `r${v.start},${v.stop},${v.step}`;
  throw new PyError("TypeError", `unhashable type: '${typeName(v)}'`);
}
