/**
 * str methods with Python's semantics (whitespace, separators, counts and widths in code
 * points), each bounded by MAX_SIZE. Pure.
 */
import { argument, expectArgs } from "./call-args.js";
import { PyError } from "./errors.js";
import { MAX_SIZE } from "./limits.js";
import { truthy } from "./py-compare.js";
import { tooLarge } from "./py-repr.js";
import { iterate, toIndex } from "./py-sequence.js";
import {
  codePoints,
  pyLength,
  rsplitWhitespace,
  splitLines,
  splitWhitespace,
  stripChars,
} from "./py-str.js";
import {
  type CallArgs,
  PyList,
  PyTuple,
  type PyValue,
  type Runtime,
  typeName,
} from "./py-values.js";
import { strFormat } from "./str-format.js";

/** A method implementation: the value it is called on, the arguments, the rendering. */
export type Method<T> = (self: T, call: CallArgs, rt: Runtime) => PyValue;

function str(v: PyValue | undefined, what: string): string {
  if (typeof v !== "string")
    throw new PyError("TypeError", `${what} must be str, not ${typeName(v ?? null)}`);
  return v;
}

function optionalStr(v: PyValue | undefined, what: string): string | null {
  return v === undefined || v === null ? null : str(v, what);
}

function maxsplit(call: CallArgs, index: number): number {
  const v = argument(call, index, "maxsplit") ?? -1n;
  return Number(toIndex(v, `'${typeName(v)}' object cannot be interpreted as an integer`));
}

function checked(s: string): string {
  if (s.length > MAX_SIZE) throw tooLarge();
  return s;
}

function split(self: string, call: CallArgs, fromRight: boolean): PyValue {
  expectArgs(fromRight ? "rsplit" : "split", call, 0, 2, ["sep", "maxsplit"]);
  const sep = optionalStr(argument(call, 0, "sep"), "sep");
  const limit = maxsplit(call, 1);
  if (sep === null)
    return new PyList(fromRight ? rsplitWhitespace(self, limit) : splitWhitespace(self, limit));
  if (sep === "") throw new PyError("ValueError", "empty separator");
  const parts = self.split(sep);
  if (limit < 0 || parts.length - 1 <= limit) return new PyList(parts);
  if (fromRight)
    return new PyList([
      parts.slice(0, parts.length - limit).join(sep),
      ...parts.slice(parts.length - limit),
    ]);
  return new PyList([...parts.slice(0, limit), parts.slice(limit).join(sep)]);
}

function replace(self: string, call: CallArgs): PyValue {
  const [oldArg, newArg, countArg] = expectArgs("replace", call, 2, 3);
  const old = str(oldArg, "replace() argument 1");
  const by = str(newArg, "replace() argument 2");
  const count = countArg === undefined ? -1 : Number(toIndex(countArg, "count must be an integer"));
  const pieces = old === "" ? ["", ...codePoints(self), ""] : self.split(old);
  const gaps = pieces.length - 1;
  const done = count < 0 ? gaps : Math.min(count, gaps);
  if (self.length + done * (by.length - old.length) > MAX_SIZE) throw tooLarge();
  if (old === "") {
    let out = "";
    const cps = codePoints(self);
    for (let i = 0; i < cps.length; i++) out += (i < done ? by : "") + cps[i];
    return out + (done > cps.length ? by : "");
  }
  return (
    pieces.slice(0, done + 1).join(by) + (done < gaps ? old + pieces.slice(done + 1).join(old) : "")
  );
}

function join(self: string, call: CallArgs, rt: Runtime): PyValue {
  const [it] = expectArgs("join", call, 1, 1) as [PyValue];
  let out = "";
  let i = 0;
  for (const item of iterate(it, rt)) {
    if (typeof item !== "string") {
      throw new PyError(
        "TypeError",
        `sequence item ${i}: expected str instance, ${typeName(item)} found`,
      );
    }
    out += (i++ > 0 ? self : "") + item;
    if (out.length > MAX_SIZE) throw tooLarge();
  }
  return out;
}

function prefixTest(name: "startswith" | "endswith"): Method<string> {
  return (self, call) => {
    const [arg] = expectArgs(name, call, 1, 1) as [PyValue];
    const options = arg instanceof PyTuple ? arg.items : [arg];
    return options.some((o) => {
      if (typeof o !== "string") {
        throw new PyError(
          "TypeError",
          `${name} first arg must be str or a tuple of str, not ${typeName(o)}`,
        );
      }
      return name === "startswith" ? self.startsWith(o) : self.endsWith(o);
    });
  };
}

function findIn(self: string, call: CallArgs, name: string): number {
  const sub = str(expectArgs(name, call, 1, 1)[0], "must be str");
  const at = self.indexOf(sub);
  return at < 0 ? -1 : pyLength(self.slice(0, at));
}

function justify(name: "ljust" | "rjust" | "center"): Method<string> {
  return (self, call) => {
    const [w, f] = expectArgs(name, call, 1, 2);
    const width = Number(toIndex(w as PyValue, "width must be an integer"));
    const fill = f === undefined ? " " : str(f, `${name}() argument 2`);
    if (pyLength(fill) !== 1)
      throw new PyError("TypeError", "The fill character must be exactly one character long");
    if (width > MAX_SIZE) throw tooLarge();
    const margin = width - pyLength(self);
    if (margin <= 0) return self;
    if (name === "ljust") return self + fill.repeat(margin);
    if (name === "rjust") return fill.repeat(margin) + self;
    const left = Math.floor(margin / 2) + (margin & width & 1);
    return fill.repeat(left) + self + fill.repeat(margin - left);
  };
}

/** The str methods templates may call. */
export const STR_METHODS: Record<string, Method<string>> = {
  upper: (self, call) => (expectArgs("upper", call, 0, 0), checked(self.toUpperCase())),
  lower: (self, call) => (expectArgs("lower", call, 0, 0), self.toLowerCase()),
  strip: (self, call) =>
    stripChars(self, optionalStr(expectArgs("strip", call, 0, 1)[0], "strip arg"), true, true),
  lstrip: (self, call) =>
    stripChars(self, optionalStr(expectArgs("lstrip", call, 0, 1)[0], "lstrip arg"), true, false),
  rstrip: (self, call) =>
    stripChars(self, optionalStr(expectArgs("rstrip", call, 0, 1)[0], "rstrip arg"), false, true),
  split: (self, call) => split(self, call, false),
  rsplit: (self, call) => split(self, call, true),
  splitlines: (self, call) => {
    expectArgs("splitlines", call, 0, 1, ["keepends"]);
    return new PyList(splitLines(self, truthy(argument(call, 0, "keepends") ?? false)));
  },
  replace,
  join,
  startswith: prefixTest("startswith"),
  endswith: prefixTest("endswith"),
  format: (self, call, rt) => strFormat(self, call.args, call.kwargs, rt),
  count: (self, call) => {
    const sub = str(expectArgs("count", call, 1, 1)[0], "must be str");
    return BigInt(sub === "" ? pyLength(self) + 1 : self.split(sub).length - 1);
  },
  find: (self, call) => BigInt(findIn(self, call, "find")),
  index: (self, call) => {
    const at = findIn(self, call, "index");
    if (at < 0) throw new PyError("ValueError", "substring not found");
    return BigInt(at);
  },
  zfill: (self, call) => {
    const width = Number(
      toIndex(expectArgs("zfill", call, 1, 1)[0] as PyValue, "width must be an integer"),
    );
    if (width > MAX_SIZE) throw tooLarge();
    const margin = width - pyLength(self);
    if (margin <= 0) return self;
    const signed = self.startsWith("+") || self.startsWith("-");
    return signed ? self[0] + "0".repeat(margin) + self.slice(1) : "0".repeat(margin) + self;
  },
  ljust: justify("ljust"),
  rjust: justify("rjust"),
  center: justify("center"),
};
