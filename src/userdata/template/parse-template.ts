/** Template source → statements: bottle's split into lines, then Python's parsing and nesting. Pure. */
import type { Expr, OutputPart, Stmt } from "./ast.js";
import { buildBlocks, type PlacedLine } from "./block-builder.js";
import { CompileError } from "./errors.js";
import { checkDepth } from "./expr-depth.js";
import { ExprParser } from "./expr-parser.js";
import { parseCodeLine } from "./line-parser.js";
import type { MappedText } from "./mapped-text.js";
import { tokenize } from "./py-tokens.js";
import { lexTemplate } from "./stpl-lexer.js";

/** Parses a whole template; throws CompileError naming the offending place. */
export function parseTemplate(source: string): Stmt[] {
  const placed: PlacedLine[] = lexTemplate(source).map((line) => {
    if (line.kind === "code") {
      return { level: line.level, at: line.code.sourceOffset(0), item: parseCodeLine(line.code) };
    }
    const parts: OutputPart[] = line.parts.map((part) =>
      typeof part === "string" ? part : { expr: parseInline(part.code, part.at), raw: part.raw },
    );
    return { level: line.level, at: line.at, item: { k: "text", parts, at: line.at } };
  });
  return buildBlocks(placed);
}

/**
 * The expression inside `{{ }}`. bottle passes it as the argument of a call, so a trailing
 * comma is allowed and a bare generator expression is one argument.
 */
function parseInline(code: MappedText, at: number): Expr {
  const p = new ExprParser(tokenize(code));
  if (p.atEnd()) throw new CompileError("empty {{! }}", at);
  const { args, kwargs } = p.callArguments(true);
  if (kwargs.length > 0) p.fail("{{ }} takes one expression, not a keyword argument");
  if (args.length !== 1) throw new CompileError("{{ }} takes exactly one expression", at);
  if (!p.atEnd()) p.unexpected();
  return checkDepth(args[0] as Expr);
}
