/**
 * The functions a template can call: a small set of Python builtins and bottle's template
 * helpers (defined, get, setdefault, which read and write the template's own names). Nothing
 * here reaches outside the rendering. Pure.
 */
import { argument, expectArgs } from "./call-args.js";
import { PyError } from "./errors.js";
import { MAX_SIZE } from "./limits.js";
import { binaryOp, unaryOp } from "./py-arith.js";
import { numeric, pyOrder, truthy } from "./py-compare.js";
import { toFloat, toInt } from "./py-convert.js";
import { pyRepr, pyStr, tooLarge } from "./py-repr.js";
import { iterate, length, materialize, toIndex } from "./py-sequence.js";
import {
  type CallArgs,
  PyFunc,
  PyIter,
  PyList,
  PyRange,
  PyTuple,
  type PyValue,
  type Runtime,
  typeName,
} from "./py-values.js";

type Impl = (call: CallArgs, rt: Runtime) => PyValue;

function sorted(call: CallArgs, rt: Runtime): PyValue {
  const [it] = expectArgs("sorted", call, 1, 1, ["reverse", "key"]);
  if (call.kwargs.has("key") && call.kwargs.get("key") !== null) {
    throw new PyError("NotSupported", "sorted() with key= is not supported");
  }
  const reverse = truthy(call.kwargs.get("reverse") ?? false);
  const items = materialize(it as PyValue, rt);
  if (reverse) items.reverse();
  // Python sorts with < only; a stable sort keeps equal items in order (reversed back after).
  items.sort((a, b) => {
    rt.spend(1);
    return pyOrder("<", a, b, rt) ? -1 : pyOrder("<", b, a, rt) ? 1 : 0;
  });
  if (reverse) items.reverse();
  return new PyList(items);
}

function minMax(name: "min" | "max"): Impl {
  return (call, rt) => {
    const args = expectArgs(name, call, 1, Infinity, ["default"]);
    const items = args.length === 1 ? iterate(args[0] as PyValue, rt) : args;
    let best: PyValue | undefined;
    for (const item of items) {
      if (best === undefined || pyOrder(name === "max" ? ">" : "<", item, best, rt)) best = item;
    }
    if (best !== undefined) return best;
    const fallback = call.kwargs.get("default");
    if (fallback !== undefined) return fallback;
    throw new PyError("ValueError", `${name}() arg is an empty sequence`);
  };
}

function range(call: CallArgs): PyValue {
  const args = expectArgs("range", call, 1, 3).map((a) =>
    toIndex(a, `'${typeName(a)}' object cannot be interpreted as an integer`),
  );
  const [start, stop, step] =
    args.length === 1
      ? [0n, args[0] as bigint, 1n]
      : [args[0] as bigint, args[1] as bigint, args[2] ?? 1n];
  if (step === 0n) throw new PyError("ValueError", "range() arg 3 must not be zero");
  return new PyRange(start, stop, step);
}

function enumerate(call: CallArgs, rt: Runtime): PyValue {
  const [it] = expectArgs("enumerate", call, 1, 2, ["start"]);
  const startArg = argument(call, 1, "start");
  const start =
    startArg === undefined
      ? 0n
      : toIndex(startArg, `'${typeName(startArg)}' object cannot be interpreted as an integer`);
  const source = iterate(it as PyValue, rt);
  return new PyIter(
    "enumerate",
    (function* () {
      let i = start;
      for (const item of source) yield new PyTuple([i++, item]);
    })(),
  );
}

function zip(call: CallArgs, rt: Runtime): PyValue {
  const sources = expectArgs("zip", call, 0, Infinity).map((a) => iterate(a, rt));
  return new PyIter(
    "zip",
    (function* () {
      if (sources.length === 0) return;
      for (;;) {
        const row: PyValue[] = [];
        for (const s of sources) {
          const r = s.next();
          if (r.done) return;
          row.push(r.value);
        }
        yield new PyTuple(row);
      }
    })(),
  );
}

function reversed(call: CallArgs, rt: Runtime): PyValue {
  const [seq] = expectArgs("reversed", call, 1, 1) as [PyValue];
  if (seq instanceof PyIter)
    throw new PyError("TypeError", `'${seq.typeName}' object is not reversible`);
  const items = materialize(seq, rt).reverse();
  return new PyIter(
    seq instanceof PyList ? "list_reverseiterator" : "reversed",
    items[Symbol.iterator](),
  );
}

function sum(call: CallArgs, rt: Runtime): PyValue {
  const [it] = expectArgs("sum", call, 1, 2, ["start"]);
  let total: PyValue = argument(call, 1, "start") ?? 0n;
  if (typeof total === "string")
    throw new PyError("TypeError", "sum() can't sum strings [use ''.join(seq) instead]");
  for (const item of iterate(it as PyValue, rt)) total = binaryOp("+", total, item, rt);
  return total;
}

function collect(name: string, make: (items: PyValue[]) => PyValue): Impl {
  return (call, rt) => {
    const [it] = expectArgs(name, call, 0, 1);
    return make(it === undefined ? [] : materialize(it, rt));
  };
}

const BUILTINS: Record<string, Impl> = {
  abs: (call) => {
    const [x] = expectArgs("abs", call, 1, 1) as [PyValue];
    const n = numeric(x);
    return n !== undefined && (typeof n === "bigint" ? n < 0n : n < 0 || Object.is(n, -0))
      ? unaryOp("neg", x)
      : unaryOp("pos", x);
  },
  all: (call, rt) => {
    for (const x of iterate(expectArgs("all", call, 1, 1)[0] as PyValue, rt))
      if (!truthy(x)) return false;
    return true;
  },
  any: (call, rt) => {
    for (const x of iterate(expectArgs("any", call, 1, 1)[0] as PyValue, rt))
      if (truthy(x)) return true;
    return false;
  },
  bool: (call) => truthy(expectArgs("bool", call, 0, 1)[0] ?? false),
  enumerate,
  float: (call) => {
    const [x] = expectArgs("float", call, 0, 1);
    return x === undefined ? 0 : toFloat(x);
  },
  int: (call) => {
    const [x] = expectArgs("int", call, 0, 2, ["base"]);
    const b = argument(call, 1, "base");
    return x === undefined
      ? 0n
      : toInt(x, b === undefined ? undefined : toIndex(b, "base must be an integer"));
  },
  len: (call) => BigInt(length(expectArgs("len", call, 1, 1)[0] as PyValue)),
  list: collect("list", (items) => new PyList(items)),
  max: minMax("max"),
  min: minMax("min"),
  range,
  repr: (call, rt) => pyRepr(expectArgs("repr", call, 1, 1)[0] as PyValue, rt),
  reversed,
  sorted,
  str: (call, rt) => {
    const [x] = expectArgs("str", call, 0, 1);
    const s = x === undefined ? "" : pyStr(x, rt);
    if (s.length > MAX_SIZE) throw tooLarge();
    return s;
  },
  sum,
  tuple: collect("tuple", (items) => new PyTuple(items)),
  zip,
};

/** Names a template may call as functions (checked when the template is compiled). */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(Object.keys(BUILTINS));

/** Builtins as values, looked up after the template's own names (which may shadow them, as in Python). */
export const BUILTIN_VALUES: ReadonlyMap<string, PyFunc> = new Map(
  Object.entries(BUILTINS).map(([name, impl]) => [name, new PyFunc(name, impl)]),
);
