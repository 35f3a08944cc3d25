/** The parsed template: statements and the Python expression subset. `at` is a source offset. */
import type { PyValue } from "./py-values.js";

/** Arithmetic operators. */
export type BinaryOp = "+" | "-" | "*" | "/" | "//" | "%";

/** Comparison operators, chainable as in Python. */
export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in" | "is" | "is not";

/** A `name=value` argument. */
export interface Keyword {
  readonly name: string;
  readonly value: Expr;
  readonly at: number;
}

/** An assignment target: a name, or names to unpack into (`k, v` or `(i, (a, b))`). */
export type Target =
  | { readonly k: "name"; readonly name: string; readonly at: number }
  | { readonly k: "unpack"; readonly items: readonly Target[]; readonly at: number };

/** One `for … in … if …` of a comprehension. */
export interface CompClause {
  readonly target: Target;
  readonly iter: Expr;
  readonly conds: readonly Expr[];
}

/** An expression. */
export type Expr =
  | { readonly k: "const"; readonly value: PyValue; readonly at: number }
  | { readonly k: "name"; readonly name: string; readonly at: number }
  | { readonly k: "list" | "tuple"; readonly items: readonly Expr[]; readonly at: number }
  | {
      readonly k: "dict";
      readonly keys: readonly Expr[];
      readonly values: readonly Expr[];
      readonly at: number;
    }
  | { readonly k: "not" | "neg" | "pos"; readonly operand: Expr; readonly at: number }
  | {
      readonly k: "binary";
      readonly op: BinaryOp;
      readonly left: Expr;
      readonly right: Expr;
      readonly at: number;
    }
  | { readonly k: "and" | "or"; readonly left: Expr; readonly right: Expr; readonly at: number }
  | {
      readonly k: "compare";
      readonly first: Expr;
      readonly ops: readonly CompareOp[];
      readonly rest: readonly Expr[];
      readonly ats: readonly number[];
      readonly at: number;
    }
  | {
      readonly k: "cond";
      readonly test: Expr;
      readonly body: Expr;
      readonly orelse: Expr;
      readonly at: number;
    }
  | {
      readonly k: "call";
      readonly func: string;
      readonly args: readonly Expr[];
      readonly kwargs: readonly Keyword[];
      readonly at: number;
    }
  | {
      readonly k: "method";
      readonly obj: Expr;
      readonly name: string;
      readonly args: readonly Expr[];
      readonly kwargs: readonly Keyword[];
      readonly at: number;
    }
  | { readonly k: "index"; readonly obj: Expr; readonly index: Expr; readonly at: number }
  | {
      readonly k: "slice";
      readonly obj: Expr;
      readonly lower: Expr | undefined;
      readonly upper: Expr | undefined;
      readonly step: Expr | undefined;
      readonly at: number;
    }
  | {
      readonly k: "comp";
      readonly list: boolean;
      readonly elt: Expr;
      readonly clauses: readonly CompClause[];
      readonly at: number;
    };

/** A piece of output: literal text, or an expression printed escaped or raw. */
export type OutputPart = string | { readonly expr: Expr; readonly raw: boolean };

/** A statement. */
export type Stmt =
  | { readonly k: "text"; readonly parts: readonly OutputPart[]; readonly at: number }
  | {
      readonly k: "if";
      readonly branches: readonly { readonly test: Expr; readonly body: readonly Stmt[] }[];
      readonly orelse: readonly Stmt[] | undefined;
    }
  | {
      readonly k: "for";
      readonly target: Target;
      readonly iter: Expr;
      readonly body: readonly Stmt[];
      readonly orelse: readonly Stmt[] | undefined;
      readonly at: number;
    }
  | { readonly k: "assign"; readonly targets: readonly Target[]; readonly value: Expr }
  | {
      readonly k: "augassign";
      readonly name: string;
      readonly op: BinaryOp;
      readonly value: Expr;
      readonly at: number;
    }
  | { readonly k: "expr"; readonly value: Expr }
  | { readonly k: "pass" | "break" | "continue"; readonly at: number };
