/**
 * Parses one code line (a `%` line, or one line of a `<% %>` block): a block header
 * (`if`/`elif`/`else`/`for`, optionally with statements after the colon) or simple statements
 * separated by `;`. Pure.
 */
import type { BinaryOp, Expr, Stmt, Target } from "./ast.js";
import { CompileError } from "./errors.js";
import { checkDepth } from "./expr-depth.js";
import { ExprParser, toTarget } from "./expr-parser.js";
import { refuseKeyword } from "./token-cursor.js";
import type { MappedText } from "./mapped-text.js";
import { KEYWORDS, tokenize } from "./py-tokens.js";

/** A parsed code line. `inline` holds statements written after a header's colon. */
export type CodeLine =
  | {
      readonly k: "if" | "elif";
      readonly test: Expr;
      readonly inline?: Stmt[];
      readonly at: number;
    }
  | { readonly k: "else"; readonly inline?: Stmt[]; readonly at: number }
  | {
      readonly k: "for";
      readonly target: Target;
      readonly iter: Expr;
      readonly inline?: Stmt[];
      readonly at: number;
    }
  | { readonly k: "simple"; readonly stmts: Stmt[]; readonly at: number };

const AUGMENTED: Record<string, BinaryOp> = {
  "+=": "+",
  "-=": "-",
  "*=": "*",
  "/=": "/",
  "//=": "//",
  "%=": "%",
};

/** Parses a code line; throws CompileError for bad syntax or a construct outside the subset. */
export function parseCodeLine(code: MappedText): CodeLine {
  const p = new ExprParser(tokenize(code));
  const first = p.peek();
  const at = first.at;
  if (first.t === "name" && (first.v === "include" || first.v === "rebase")) {
    p.fail("include and rebase are not supported");
  }
  if (first.t === "name" && (first.v === "if" || first.v === "elif")) {
    p.next();
    const test = checkDepth(p.expression());
    return { k: first.v, test, inline: colonAndBody(p), at };
  }
  if (first.t === "name" && first.v === "else") {
    p.next();
    return { k: "else", inline: colonAndBody(p), at };
  }
  if (first.t === "name" && first.v === "for") {
    p.next();
    const target = p.targetList();
    if (!p.takeKeyword("in")) p.unexpected("expected 'in'");
    const iter = checkDepth(p.expressions());
    return { k: "for", target, iter, inline: colonAndBody(p), at };
  }
  const stmts = simpleStatements(p);
  if (!p.atEnd()) p.unexpected();
  return { k: "simple", stmts, at };
}

/** The `:` ending a header, and statements written after it on the same line, if any. */
function colonAndBody(p: ExprParser): Stmt[] | undefined {
  p.expectOp(":");
  if (p.atEnd()) return undefined;
  const stmts = simpleStatements(p);
  if (!p.atEnd()) p.unexpected();
  return stmts;
}

function simpleStatements(p: ExprParser): Stmt[] {
  const stmts: Stmt[] = [];
  do {
    stmts.push(simpleStatement(p));
  } while (p.takeOp(";") && !p.atEnd());
  return stmts;
}

function simpleStatement(p: ExprParser): Stmt {
  const t = p.peek();
  if (t.t === "name" && (t.v === "pass" || t.v === "break" || t.v === "continue")) {
    p.next();
    return { k: t.v, at: t.at };
  }
  if (t.t === "name" && KEYWORDS.has(t.v) && !["True", "False", "None", "not"].includes(t.v)) {
    refuseKeyword(p, t);
  }
  const value = checkDepth(p.expressions());
  const op = p.peek();
  if (op.t === "op" && op.v in AUGMENTED) {
    if (value.k !== "name") throw new CompileError("only names can be assigned to", value.at);
    p.next();
    const right = checkDepth(p.expressions());
    return {
      k: "augassign",
      name: value.name,
      op: AUGMENTED[op.v] as BinaryOp,
      value: right,
      at: op.at,
    };
  }
  if (op.t === "op" && op.v === ":") p.fail("annotations are not supported");
  if (!p.isOp("=")) return { k: "expr", value };
  const targets = [toTarget(p, value)];
  let right = value;
  while (p.takeOp("=")) {
    right = checkDepth(p.expressions());
    if (p.isOp("=")) targets.push(toTarget(p, right));
  }
  return { k: "assign", targets, value: right };
}
