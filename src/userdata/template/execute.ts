/**
 * Runs a parsed template: writes text and `{{…}}` output, takes branches, runs loops (with
 * `break`, `continue` and `else`), assigns names. Output is capped at MAX_SIZE. Pure.
 */
import type { Expr, Stmt } from "./ast.js";
import { PyError } from "./errors.js";
import type { Evaluator } from "./evaluator.js";
import { htmlEscape } from "./html-escape.js";
import { MAX_SIZE } from "./limits.js";
import { inPlaceOp } from "./py-arith.js";
import { truthy } from "./py-compare.js";
import { pyStr, tooLarge } from "./py-repr.js";
import { iterate } from "./py-sequence.js";

type Signal = "next" | "break" | "continue";

/** Runs `body`, appending output to `out`; returns the output's length so far. */
export class Executor {
  private readonly out: string[] = [];
  private size = 0;

  constructor(private readonly ev: Evaluator) {}

  /** Everything written. */
  output(): string {
    return this.out.join("");
  }

  run(body: readonly Stmt[]): Signal {
    for (const stmt of body) {
      this.ev.spend(1);
      const signal = this.step(stmt);
      if (signal !== "next") return signal;
    }
    return "next";
  }

  private step(stmt: Stmt): Signal {
    switch (stmt.k) {
      case "text":
        for (const part of stmt.parts) {
          if (typeof part === "string") this.write(part, stmt.at);
          else this.print(part.expr, part.raw);
        }
        return "next";
      case "if":
        for (const branch of stmt.branches) {
          if (truthy(this.ev.eval(branch.test))) return this.run(branch.body);
        }
        return stmt.orelse ? this.run(stmt.orelse) : "next";
      case "for": {
        const items = iterate(this.ev.eval(stmt.iter), this.ev);
        for (;;) {
          let next;
          try {
            next = items.next();
          } catch (error) {
            throw placed(error, stmt.iter.at);
          }
          if (next.done) break;
          this.ev.assign(stmt.target, next.value);
          if (this.run(stmt.body) === "break") return "next";
        }
        return stmt.orelse ? this.run(stmt.orelse) : "next";
      }
      case "assign": {
        const value = this.ev.eval(stmt.value);
        for (const target of stmt.targets) this.ev.assign(target, value);
        return "next";
      }
      case "augassign": {
        const value = this.ev.eval(stmt.value);
        try {
          this.ev.env.set(stmt.name, inPlaceOp(stmt.op, this.ev.lookup(stmt.name), value, this.ev));
        } catch (error) {
          throw placed(error, stmt.at);
        }
        return "next";
      }
      case "expr":
        this.ev.eval(stmt.value);
        return "next";
      case "pass":
        return "next";
      case "break":
      case "continue":
        return stmt.k;
    }
  }

  /** `{{expr}}` (escaped as bottle does) or `{{!expr}}`. */
  private print(expr: Expr, raw: boolean): void {
    const value = this.ev.eval(expr);
    let text: string;
    try {
      text = pyStr(value, this.ev);
    } catch (error) {
      throw placed(error, expr.at);
    }
    this.write(raw ? text : htmlEscape(text), expr.at);
  }

  private write(text: string, at: number): void {
    this.size += text.length;
    if (this.size > MAX_SIZE) throw placed(tooLarge(), at);
    this.out.push(text);
  }
}

/** Gives a PyError without a place the place `at`. */
function placed(error: unknown, at: number): unknown {
  if (error instanceof PyError && error.at === undefined) error.at = at;
  return error;
}
