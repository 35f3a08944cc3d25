/**
 * How deeply an expression nests. Long chains (`a + b + c …`, `x[0][0]…`, `s.upper().upper()…`)
 * parse in loops but evaluate recursively, so their depth is bounded at compile time (Python's
 * compiler gives up on such chains too). Measured without recursion. Pure.
 */
import type { Expr } from "./ast.js";
import { CompileError } from "./errors.js";
import { MAX_DEPTH } from "./limits.js";

/** Deepest an expression may nest (evaluation takes a few stack frames per level). */
export const MAX_EXPR_DEPTH = 1000;

function children(e: Expr): readonly Expr[] {
  switch (e.k) {
    case "const":
    case "name":
      return [];
    case "list":
    case "tuple":
      return e.items;
    case "dict":
      return [...e.keys, ...e.values];
    case "not":
    case "neg":
    case "pos":
      return [e.operand];
    case "binary":
    case "and":
    case "or":
      return [e.left, e.right];
    case "compare":
      return [e.first, ...e.rest];
    case "cond":
      return [e.test, e.body, e.orelse];
    case "call":
      return [...e.args, ...e.kwargs.map((k) => k.value)];
    case "method":
      return [e.obj, ...e.args, ...e.kwargs.map((k) => k.value)];
    case "index":
      return [e.obj, e.index];
    case "slice":
      return [e.obj, e.lower, e.upper, e.step].filter((x): x is Expr => x !== undefined);
    case "comp":
      return [e.elt, ...e.clauses.flatMap((c) => [c.iter, ...c.conds])];
  }
}

/** Throws CompileError if `root` nests deeper than MAX_EXPR_DEPTH or has too many `for` clauses. */
export function checkDepth(root: Expr): Expr {
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop() as [Expr, number];
    if (depth > MAX_EXPR_DEPTH)
      throw new CompileError(`expression nested more than ${MAX_EXPR_DEPTH} levels deep`, e.at);
    if (e.k === "comp" && e.clauses.length > MAX_DEPTH) {
      throw new CompileError(`comprehension with more than ${MAX_DEPTH} 'for' clauses`, e.at);
    }
    for (const child of children(e)) stack.push([child, depth + 1]);
  }
  return root;
}
