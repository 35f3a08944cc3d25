/**
 * The template engine's entry point: compile once, render many times. A sandboxed subset of
 * bottle 0.12's SimpleTemplate that renders what bottle renders, byte for byte. Pure.
 */
import { TemplateError } from "../template-error.js";
import type { Stmt } from "./ast.js";
import { bottleHelpers } from "./bottle-helpers.js";
import { CompileError, PyError } from "./errors.js";
import { Evaluator } from "./evaluator.js";
import { Executor } from "./execute.js";
import { parseTemplate } from "./parse-template.js";
import type { PyValue } from "./py-values.js";
import { type TemplateValue, toPyValue } from "./template-value.js";

export type { TemplateValue } from "./template-value.js";

/** A template ready to render. */
export interface CompiledTemplate {
  /** Renders with `values`; throws TemplateError (with line and column) for a runtime error. */
  render(values: ReadonlyMap<string, TemplateValue>): string;
}

/** Parses `source` once; throws TemplateError(file, line, column, problem) for bad syntax or a refused construct. */
export function compileTemplate(source: string, file: string): CompiledTemplate {
  let body: Stmt[];
  try {
    body = parseTemplate(source);
  } catch (error) {
    if (error instanceof CompileError) throw templateError(source, file, error.at, error.problem);
    throw error;
  }
  return {
    render(values) {
      const env = new Map<string, PyValue>();
      for (const [name, value] of values) env.set(name, toPyValue(value));
      for (const [name, value] of bottleHelpers()) env.set(name, value);
      const evaluator = new Evaluator(env);
      const executor = new Executor(evaluator);
      try {
        executor.run(body);
      } catch (error) {
        if (!(error instanceof PyError)) throw error;
        if (error.kind === "NameError") {
          const known = [...values.keys()].sort().join(", ");
          throw templateError(
            source,
            file,
            error.at ?? 0,
            `no value named "${error.detail}"`,
            `known: ${known}`,
          );
        }
        throw templateError(source, file, error.at ?? 0, error.message);
      }
      return executor.output();
    },
  };
}

/** A TemplateError at a source offset: 1-based line, and column counted in characters. */
function templateError(
  source: string,
  file: string,
  at: number,
  problem: string,
  detail?: string,
): TemplateError {
  const before = source.slice(0, Math.max(0, at));
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = before.split("\n").length;
  const column = [...before.slice(lineStart)].length + 1;
  return new TemplateError(file, line, column, problem, detail);
}
