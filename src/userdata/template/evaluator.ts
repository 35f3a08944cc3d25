/**
 * Evaluates expressions against the template's names (values, assignments, bottle's helpers),
 * then the builtins, with Python's semantics. Every node evaluated and every item iterated is
 * charged to a step budget, so no template runs for ever. Pure apart from the names it assigns.
 */
import type { CompareOp, Expr, Target } from "./ast.js";
import { BUILTIN_VALUES } from "./builtins.js";
import { PyError } from "./errors.js";
import { MAX_SIZE, MAX_STEPS } from "./limits.js";
import { callMethod } from "./methods.js";
import { binaryOp, unaryOp } from "./py-arith.js";
import { type OrderOp, pyEq, pyOrder, truthy } from "./py-compare.js";
import { tooLarge } from "./py-repr.js";
import { contains, getItem, getSlice, iterate, materialize } from "./py-sequence.js";
import {
  type CallArgs,
  PyDict,
  PyFunc,
  PyIter,
  PyList,
  PyTuple,
  type PyValue,
  type Runtime,
  typeName,
} from "./py-values.js";

/** Names bound by a comprehension, which Python keeps out of the template's own names. */
interface Scope {
  readonly vars: Map<string, PyValue>;
  readonly parent: Scope | undefined;
}

export class Evaluator implements Runtime {
  private steps = 0;

  constructor(readonly env: Map<string, PyValue>) {}

  spend(units: number): void {
    this.steps += units;
    if (this.steps > MAX_STEPS) {
      throw new PyError("LimitExceeded", `the template took more than ${MAX_STEPS} steps`);
    }
  }

  /** Evaluates `e`; an error without a place gets this expression's. */
  eval(e: Expr, scope?: Scope): PyValue {
    this.spend(1);
    try {
      return this.evalNode(e, scope);
    } catch (error) {
      if (error instanceof PyError && error.at === undefined) error.at = e.at;
      throw error;
    }
  }

  private evalNode(e: Expr, scope: Scope | undefined): PyValue {
    switch (e.k) {
      case "const":
        return e.value;
      case "name":
        return this.lookup(e.name, scope);
      case "list":
      case "tuple": {
        const items = e.items.map((item) => this.eval(item, scope));
        return e.k === "list" ? new PyList(items) : new PyTuple(items);
      }
      case "dict":
        return PyDict.from(
          e.keys.map(
            (k, i) => [this.eval(k, scope), this.eval(e.values[i] as Expr, scope)] as const,
          ),
        );
      case "not":
        return !truthy(this.eval(e.operand, scope));
      case "neg":
      case "pos":
        return unaryOp(e.k, this.eval(e.operand, scope));
      case "binary": {
        const left = this.eval(e.left, scope);
        return binaryOp(e.op, left, this.eval(e.right, scope), this);
      }
      case "and": {
        const left = this.eval(e.left, scope);
        return truthy(left) ? this.eval(e.right, scope) : left;
      }
      case "or": {
        const left = this.eval(e.left, scope);
        return truthy(left) ? left : this.eval(e.right, scope);
      }
      case "compare":
        return this.compare(e, scope);
      case "cond":
        return truthy(this.eval(e.test, scope))
          ? this.eval(e.body, scope)
          : this.eval(e.orelse, scope);
      case "call": {
        const func = this.lookup(e.func, scope);
        if (!(func instanceof PyFunc))
          throw new PyError("TypeError", `'${typeName(func)}' object is not callable`);
        return func.call(this.arguments(e.args, e.kwargs, scope), this);
      }
      case "method": {
        const self = this.eval(e.obj, scope);
        return callMethod(self, e.name, this.arguments(e.args, e.kwargs, scope), this);
      }
      case "index": {
        const obj = this.eval(e.obj, scope);
        return getItem(obj, this.eval(e.index, scope), this);
      }
      case "slice": {
        const obj = this.eval(e.obj, scope);
        const bound = (b: Expr | undefined) => (b === undefined ? null : this.eval(b, scope));
        return getSlice(obj, [bound(e.lower), bound(e.upper), bound(e.step)]);
      }
      case "comp":
        return this.comprehension(e, scope);
    }
  }

  /** A name: comprehension variables, then the template's names, then builtins. */
  lookup(name: string, scope?: Scope): PyValue {
    for (let s = scope; s !== undefined; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    const v = this.env.get(name);
    if (v !== undefined) return v;
    const builtin = BUILTIN_VALUES.get(name);
    if (builtin !== undefined) return builtin;
    throw new PyError("NameError", name);
  }

  private arguments(
    args: readonly Expr[],
    kwargs: readonly { name: string; value: Expr }[],
    scope: Scope | undefined,
  ): CallArgs {
    return {
      args: args.map((a) => this.eval(a, scope)),
      kwargs: new Map(kwargs.map((k) => [k.name, this.eval(k.value, scope)])),
    };
  }

  private compare(e: Expr & { k: "compare" }, scope: Scope | undefined): PyValue {
    let left = this.eval(e.first, scope);
    for (let i = 0; i < e.ops.length; i++) {
      const right = this.eval(e.rest[i] as Expr, scope);
      let ok: boolean;
      try {
        ok = this.compareOne(e.ops[i] as CompareOp, left, right);
      } catch (error) {
        if (error instanceof PyError && error.at === undefined) error.at = e.ats[i];
        throw error;
      }
      if (!ok) return false;
      left = right;
    }
    return true;
  }

  private compareOne(op: CompareOp, a: PyValue, b: PyValue): boolean {
    switch (op) {
      case "==":
        return pyEq(a, b, this);
      case "!=":
        return !pyEq(a, b, this);
      case "in":
        return contains(b, a, this);
      case "not in":
        return !contains(b, a, this);
      case "is":
        return a === b;
      case "is not":
        return a !== b;
      default:
        return pyOrder(op as OrderOp, a, b, this);
    }
  }

  /** `[elt for …]` builds a list now; `(elt for …)` is a lazy one-shot iterator, as in Python. */
  private comprehension(e: Expr & { k: "comp" }, scope: Scope | undefined): PyValue {
    const [first, ...more] = e.clauses;
    if (first === undefined) throw new PyError("SyntaxError", "empty comprehension");
    const source = iterate(this.eval(first.iter, scope), this);
    const local: Scope = { vars: new Map(), parent: scope };
    const run = function* (
      this: Evaluator,
      items: Iterable<PyValue>,
      k: number,
    ): Generator<PyValue> {
      const clause = k === 0 ? first : (more[k - 1] as typeof first);
      for (const item of items) {
        this.assign(clause.target, item, local);
        if (!clause.conds.every((c) => truthy(this.eval(c, local)))) continue;
        if (k < more.length)
          yield* run.call(
            this,
            iterate(this.eval((more[k] as typeof first).iter, local), this),
            k + 1,
          );
        else yield this.eval(e.elt, local);
      }
    };
    const generated = run.call(this, source, 0);
    if (!e.list) return new PyIter("generator", generated);
    const items: PyValue[] = [];
    for (const item of generated) {
      if (items.length >= MAX_SIZE) throw tooLarge();
      items.push(item);
    }
    return new PyList(items);
  }

  /** Binds a target: a name, or several unpacked from an iterable. */
  assign(target: Target, value: PyValue, scope?: Scope): void {
    if (target.k === "name") {
      (scope?.vars ?? this.env).set(target.name, value);
      return;
    }
    const items = materialize(value, this);
    const n = target.items.length;
    if (items.length < n) {
      throw atTarget(
        new PyError(
          "ValueError",
          `not enough values to unpack (expected ${n}, got ${items.length})`,
        ),
        target,
      );
    }
    if (items.length > n)
      throw atTarget(
        new PyError("ValueError", `too many values to unpack (expected ${n})`),
        target,
      );
    target.items.forEach((t, i) => this.assign(t, items[i] as PyValue, scope));
  }
}

function atTarget(error: PyError, target: Target): PyError {
  error.at = target.at;
  return error;
}
