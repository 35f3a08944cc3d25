/**
 * bottle's template helpers. The template's names form a dict (bottle's `env`), and
 * `defined`, `get` and `setdefault` are its `__contains__`, `get` and `setdefault`; bottle
 * also puts its own machinery there, so those names count as defined. Pure.
 */
import { expectArgs } from "./call-args.js";
import { PyError } from "./errors.js";
import { type CallArgs, hashKey, PyFunc, type PyValue, type Runtime } from "./py-values.js";

type Impl = (call: CallArgs, rt: Runtime) => PyValue;

const HELPERS: Record<string, Impl> = {
  defined: (call, rt) => {
    const [name] = expectArgs("defined", call, 1, 1) as [PyValue];
    hashKey(name);
    return typeof name === "string" && rt.env.has(name);
  },
  get: (call, rt) => {
    const [name, fallback] = expectArgs("get", call, 1, 2);
    hashKey(name as PyValue);
    if (typeof name === "string" && rt.env.has(name)) return rt.env.get(name) as PyValue;
    return fallback ?? null;
  },
  setdefault: (call, rt) => {
    const [name, value] = expectArgs("setdefault", call, 1, 2);
    hashKey(name as PyValue);
    if (typeof name !== "string")
      throw new PyError("NotSupported", "setdefault() needs a str name");
    const old = rt.env.get(name);
    if (old !== undefined) return old;
    rt.env.set(name, value ?? null);
    return value ?? null;
  },
};

/** The helpers' names (callable in templates). */
export const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(HELPERS));

/** bottle puts these in every template's namespace, over any value of the same name. */
export function bottleHelpers(): Map<string, PyValue> {
  const helpers = new Map<string, PyValue>();
  for (const [name, impl] of Object.entries(HELPERS)) helpers.set(name, new PyFunc(name, impl));
  const refuse: Impl = () => {
    throw new PyError("NotSupported", "bottle's internal functions cannot be called");
  };
  for (const name of [
    "_stdout",
    "_printlist",
    "include",
    "rebase",
    "_str",
    "_escape",
    "__builtins__",
  ]) {
    helpers.set(name, new PyFunc(name, refuse));
  }
  helpers.set("_rebase", null);
  return helpers;
}
