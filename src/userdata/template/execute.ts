/**
 * Runs a parsed template: writes text and `{{…}}` output, takes branches, runs loops (with
 * `break`, `continue` and `else`), assigns names. Output is capped at MAX_SIZE. Pure.
 */
import type { Stmt } from "./ast.js";
import { PyError } from "./errors.js";
import type { Evaluator } from "./evaluator.js";
import { htmlEscape } from "./html-escape.js";
import { MAX_SIZE } from "./limits.js";
import { binaryOp } from "./py-arith.js";
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
          if (typeof part === "string") this.write(part);
          else {
            const text = pyStr(this.ev.eval(part.expr), this.ev);
            this.write(part.raw ? text : htmlEscape(text));
          }
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
            if (error instanceof PyError && error.at === undefined) error.at = stmt.iter.at;
            throw error;
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
          this.ev.env.set(stmt.name, binaryOp(stmt.op, this.ev.lookup(stmt.name), value, this.ev));
        } catch (error) {
          if (error instanceof PyError && error.at === undefined) error.at = stmt.at;
          throw error;
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

  private write(text: string): void {
    this.size += text.length;
    if (this.size > MAX_SIZE) throw tooLarge();
    this.out.push(text);
  }
}
