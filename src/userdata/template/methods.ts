/**
 * The methods a template can call: str methods (see str-methods.ts), dict.get/items/keys/values,
 * and list/tuple/range count/index. A method on a value of another type fails as Python's AttributeError does. Pure.
 */
import { expectArgs } from "./call-args.js";
import { PyError } from "./errors.js";
import { numeric, pyEq } from "./py-compare.js";
import { pyRepr } from "./py-repr.js";
import { contains, materialize } from "./py-sequence.js";
import {
  type CallArgs,
  PyDict,
  PyList,
  PyRange,
  PyTuple,
  type PyValue,
  PyView,
  type Runtime,
  typeName,
} from "./py-values.js";
import { type Method, STR_METHODS } from "./str-methods.js";

const DICT_METHODS: Record<string, Method<PyDict>> = {
  get: (self, call) => {
    const [key, fallback] = expectArgs("get", call, 1, 2) as [PyValue, PyValue | undefined];
    return self.has(key) ? (self.get(key) as PyValue) : (fallback ?? null);
  },
  items: (self, call) => (expectArgs("items", call, 0, 0), new PyView("dict_items", self)),
  keys: (self, call) => (expectArgs("keys", call, 0, 0), new PyView("dict_keys", self)),
  values: (self, call) => (expectArgs("values", call, 0, 0), new PyView("dict_values", self)),
};

/** Position of `x` in a list, tuple or range, or -1 (ranges answer ints without iterating). */
function position(self: PyList | PyTuple | PyRange, x: PyValue, rt: Runtime): number {
  if (self instanceof PyRange && typeof numeric(x) === "bigint") {
    return contains(self, x, rt) ? Number(((numeric(x) as bigint) - self.start) / self.step) : -1;
  }
  const items = self instanceof PyRange ? materialize(self, rt) : self.items;
  return items.findIndex((item) => (rt.spend(1), item === x || pyEq(item, x, rt)));
}

const SEQUENCE_METHODS: Record<string, Method<PyList | PyTuple | PyRange>> = {
  count: (self, call, rt) => {
    const [x] = expectArgs("count", call, 1, 1) as [PyValue];
    if (self instanceof PyRange) return position(self, x, rt) < 0 ? 0n : 1n;
    return BigInt(
      self.items.filter((item) => (rt.spend(1), item === x || pyEq(item, x, rt))).length,
    );
  },
  index: (self, call, rt) => {
    const [x] = expectArgs("index", call, 1, 1) as [PyValue];
    const at = position(self, x, rt);
    if (at < 0) {
      const what =
        self instanceof PyRange
          ? `${pyRepr(x, rt)} is not in range`
          : `${typeName(self)}.index(x): x not in ${typeName(self)}`;
      throw new PyError("ValueError", what);
    }
    return BigInt(at);
  },
};

/** Method names a template may call (checked when the template is compiled). */
export const METHOD_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(STR_METHODS),
  ...Object.keys(DICT_METHODS),
  ...Object.keys(SEQUENCE_METHODS),
]);

/** self.name(args). */
export function callMethod(self: PyValue, name: string, call: CallArgs, rt: Runtime): PyValue {
  let impl: Method<never> | undefined;
  if (typeof self === "string") impl = STR_METHODS[name];
  else if (self instanceof PyDict) impl = DICT_METHODS[name];
  else if (self instanceof PyList || self instanceof PyTuple || self instanceof PyRange)
    impl = SEQUENCE_METHODS[name];
  if (impl === undefined)
    throw new PyError("AttributeError", `'${typeName(self)}' object has no attribute '${name}'`);
  return (impl as Method<PyValue>)(self, call, rt);
}
