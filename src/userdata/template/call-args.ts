/** Argument checking for builtins and methods, with Python's messages. Pure. */
import { PyError } from "./errors.js";
import type { CallArgs, PyValue } from "./py-values.js";

/** Argument `index`, or the keyword `name`; undefined when neither was given (None is null). */
export function argument(call: CallArgs, index: number, name: string): PyValue | undefined {
  return index < call.args.length ? (call.args[index] as PyValue) : call.kwargs.get(name);
}

/** Checks the argument count and keyword names; returns the positional arguments. */
export function expectArgs(
  name: string,
  call: CallArgs,
  min: number,
  max: number,
  keywords: string[] = [],
): readonly PyValue[] {
  for (const key of call.kwargs.keys()) {
    if (!keywords.includes(key))
      throw new PyError("TypeError", `${name}() got an unexpected keyword argument '${key}'`);
  }
  const n = call.args.length;
  if (n < min || n > max) {
    const range = min === max ? `exactly ${min}` : n < min ? `at least ${min}` : `at most ${max}`;
    throw new PyError(
      "TypeError",
      `${name}() takes ${range} argument${max === 1 ? "" : "s"} (${n} given)`,
    );
  }
  return call.args;
}
