/**
 * + - * / // % and unary minus with Python's rules: ints are exact (bigint), / always gives a
 * float, // and % round towards minus infinity, str and list concatenate and repeat. Pure,
 * and bounded: no int beyond MAX_INT, no string or list beyond MAX_SIZE.
 */
import type { BinaryOp } from "./ast.js";
import { PyError } from "./errors.js";
import { MAX_INT, MAX_SIZE } from "./limits.js";
import { numeric } from "./py-compare.js";
import { tooLarge } from "./py-repr.js";
import { pyLength } from "./py-str.js";
import { materialize } from "./py-sequence.js";
import { printfFormat } from "./printf-format.js";
import { PyList, PyTuple, type PyValue, type Runtime, typeName } from "./py-values.js";

/** Checks an int result against the limit. */
export function boundedInt(n: bigint): bigint {
  if (n > MAX_INT || n < -MAX_INT) throw new PyError("LimitExceeded", "integer larger than 2**256");
  return n;
}

/** a OP b. */
export function binaryOp(op: BinaryOp, a: PyValue, b: PyValue, rt: Runtime): PyValue {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return numberOp(op, x, y);
  if (op === "+") return concat(a, b);
  if (op === "*") {
    if (y !== undefined && typeof y === "bigint") return repeat(a, y, b);
    if (x !== undefined && typeof x === "bigint") return repeat(b, x, a);
    if (isSequence(a) || isSequence(b)) {
      const other = isSequence(a) ? b : a;
      throw new PyError(
        "TypeError",
        `can't multiply sequence by non-int of type '${typeName(other)}'`,
      );
    }
  }
  if (op === "%" && typeof a === "string") return printfFormat(a, b, rt);
  throw unsupported(op, a, b);
}

function unsupported(op: string, a: PyValue, b: PyValue): PyError {
  return new PyError(
    "TypeError",
    `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`,
  );
}

function isSequence(v: PyValue): boolean {
  return typeof v === "string" || v instanceof PyList || v instanceof PyTuple;
}

function numberOp(op: BinaryOp, x: bigint | number, y: bigint | number): bigint | number {
  if (typeof x === "bigint" && typeof y === "bigint") return intOp(op, x, y);
  const a = Number(x);
  const b = Number(y);
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (b === 0) throw new PyError("ZeroDivisionError", "float division by zero");
      return a / b;
    case "//":
      if (b === 0) throw new PyError("ZeroDivisionError", "float floor division by zero");
      return floatDivmod(a, b)[0];
    case "%":
      if (b === 0) throw new PyError("ZeroDivisionError", "float modulo");
      return floatDivmod(a, b)[1];
  }
}

function intOp(op: BinaryOp, a: bigint, b: bigint): bigint | number {
  switch (op) {
    case "+":
      return boundedInt(a + b);
    case "-":
      return boundedInt(a - b);
    case "*":
      return boundedInt(a * b);
    case "/":
      if (b === 0n) throw new PyError("ZeroDivisionError", "division by zero");
      return Number(a) / Number(b);
  }
  if (b === 0n) throw new PyError("ZeroDivisionError", "integer division or modulo by zero");
  let q = a / b;
  if (a % b !== 0n && a < 0n !== b < 0n) q -= 1n;
  return op === "//" ? q : a - q * b;
}

/** CPython's float_divmod: floor quotient and a remainder with the divisor's sign. */
function floatDivmod(vx: number, wx: number): [number, number] {
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  } else {
    mod = Math.sign(1 / wx) * 0;
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = Math.sign(1 / (vx / wx)) * 0;
    if (Object.is(floordiv, NaN)) floordiv = 0;
  }
  return [floordiv, mod];
}

function concat(a: PyValue, b: PyValue): PyValue {
  if (typeof a === "string") {
    if (typeof b !== "string") {
      throw new PyError("TypeError", `can only concatenate str (not "${typeName(b)}") to str`);
    }
    if (a.length + b.length > MAX_SIZE) throw tooLarge();
    return a + b;
  }
  for (const Kind of [PyList, PyTuple]) {
    if (!(a instanceof Kind)) continue;
    if (!(b instanceof Kind)) {
      const name = typeName(a);
      throw new PyError(
        "TypeError",
        `can only concatenate ${name} (not "${typeName(b)}") to ${name}`,
      );
    }
    if (a.items.length + b.items.length > MAX_SIZE) throw tooLarge();
    return new Kind([...a.items, ...b.items]);
  }
  throw unsupported("+", a, b);
}

function repeat(seq: PyValue, times: bigint, other: PyValue): PyValue {
  const n = times < 0n ? 0 : times;
  if (typeof seq === "string") {
    if (BigInt(pyLength(seq)) * BigInt(n) > BigInt(MAX_SIZE)) throw tooLarge();
    return seq.repeat(Number(n));
  }
  if (seq instanceof PyList || seq instanceof PyTuple) {
    if (BigInt(seq.items.length) * BigInt(n) > BigInt(MAX_SIZE)) throw tooLarge();
    const items: PyValue[] = [];
    for (let i = 0; i < Number(n); i++) items.push(...seq.items);
    return seq instanceof PyList ? new PyList(items) : new PyTuple(items);
  }
  throw unsupported("*", seq, other);
}

/** `a OP= b`: as `a OP b`, except that a list extends with any iterable (`xs += 'ab'`). */
export function inPlaceOp(op: BinaryOp, a: PyValue, b: PyValue, rt: Runtime): PyValue {
  if (op !== "+" || !(a instanceof PyList)) return binaryOp(op, a, b, rt);
  const more = materialize(b, rt);
  if (a.items.length + more.length > MAX_SIZE) throw tooLarge();
  return new PyList([...a.items, ...more]);
}

/** -v and +v. */
export function unaryOp(op: "neg" | "pos", v: PyValue): PyValue {
  const x = numeric(v);
  if (x === undefined)
    throw new PyError(
      "TypeError",
      `bad operand type for unary ${op === "neg" ? "-" : "+"}: '${typeName(v)}'`,
    );
  if (op === "pos") return x;
  return typeof x === "bigint" ? -x : -x;
}
