/**
 * Turns bottle's indented lines into nested statements by Python's indentation rules: a header
 * needs a more indented line after it, a line may not be indented without one, `elif`/`else`
 * continue the `if` (or `for`) just above at their level. A stray `% end` or a missing one
 * therefore behaves as under bottle (the level just goes down, or the block runs to the end).
 * Pure.
 */
import type { Stmt } from "./ast.js";
import { CompileError } from "./errors.js";
import { MAX_DEPTH } from "./limits.js";
import type { CodeLine } from "./line-parser.js";

/** A line ready to place: a parsed code line or a text statement, with its level and position. */
export interface PlacedLine {
  readonly level: number;
  readonly at: number;
  readonly item: CodeLine | (Stmt & { readonly k: "text" });
}

type MutableIf = {
  k: "if";
  branches: { test: unknown; body: Stmt[] }[];
  orelse: Stmt[] | undefined;
};
type MutableFor = { k: "for"; orelse: Stmt[] | undefined; body: Stmt[] };

interface Open {
  readonly level: number;
  readonly body: Stmt[];
}

/** Nests `lines` into statements; throws CompileError where Python would raise an indentation or syntax error. */
export function buildBlocks(lines: readonly PlacedLine[]): Stmt[] {
  const root: Stmt[] = [];
  const stack: Open[] = [{ level: 0, body: root }];
  let awaiting: { body: Stmt[]; header: string; at: number } | undefined;
  for (const line of lines) {
    let top = stack[stack.length - 1] as Open;
    if (awaiting !== undefined) {
      if (line.level <= top.level) {
        throw new CompileError(
          `expected an indented block after this '${awaiting.header}'`,
          awaiting.at,
        );
      }
      if (stack.length >= MAX_DEPTH)
        throw new CompileError("too many levels of indentation", line.at);
      stack.push({ level: line.level, body: awaiting.body });
      awaiting = undefined;
    } else if (line.level > top.level) {
      throw new CompileError("unexpected indent", line.at);
    } else {
      while (line.level < top.level) {
        stack.pop();
        top = stack[stack.length - 1] as Open;
      }
      if (line.level !== top.level) {
        throw new CompileError("unindent does not match any outer indentation level", line.at);
      }
    }
    awaiting = place((stack[stack.length - 1] as Open).body, line);
  }
  if (awaiting !== undefined) {
    throw new CompileError(
      `expected an indented block after this '${awaiting.header}'`,
      awaiting.at,
    );
  }
  checkLoopControl(root, false);
  return root;
}

/** Adds the line to `body`; returns the body its header opens, if it needs one. */
function place(
  body: Stmt[],
  line: PlacedLine,
): { body: Stmt[]; header: string; at: number } | undefined {
  const item = line.item;
  const opens = (header: string, inline: Stmt[] | undefined, target: Stmt[]) => {
    if (inline !== undefined) {
      target.push(...inline);
      return undefined;
    }
    return { body: target, header, at: line.at };
  };
  switch (item.k) {
    case "text":
      body.push(item);
      return undefined;
    case "simple":
      body.push(...item.stmts);
      return undefined;
    case "if": {
      const branch = { test: item.test, body: [] as Stmt[] };
      body.push({ k: "if", branches: [branch], orelse: undefined });
      return opens("if", item.inline, branch.body);
    }
    case "for": {
      const loop = {
        k: "for" as const,
        target: item.target,
        iter: item.iter,
        body: [] as Stmt[],
        orelse: undefined,
        at: item.at,
      };
      body.push(loop);
      return opens("for", item.inline, loop.body);
    }
    case "elif": {
      const last = body[body.length - 1] as MutableIf | undefined;
      if (last?.k !== "if" || last.orelse !== undefined) {
        throw new CompileError("'elif' without an 'if' just above it at the same level", line.at);
      }
      const branch = { test: item.test, body: [] as Stmt[] };
      last.branches.push(branch);
      return opens("elif", item.inline, branch.body);
    }
    case "else": {
      const last = body[body.length - 1] as MutableIf | MutableFor | undefined;
      if ((last?.k !== "if" && last?.k !== "for") || last.orelse !== undefined) {
        throw new CompileError(
          "'else' without an 'if' or 'for' just above it at the same level",
          line.at,
        );
      }
      last.orelse = [];
      return opens("else", item.inline, last.orelse);
    }
  }
}

/** Python refuses `break` and `continue` outside a loop body at compile time. */
function checkLoopControl(body: readonly Stmt[], inLoop: boolean): void {
  for (const stmt of body) {
    if ((stmt.k === "break" || stmt.k === "continue") && !inLoop) {
      throw new CompileError(`'${stmt.k}' outside a loop`, stmt.at);
    }
    if (stmt.k === "if") {
      for (const b of stmt.branches) checkLoopControl(b.body, inLoop);
      if (stmt.orelse) checkLoopControl(stmt.orelse, inLoop);
    } else if (stmt.k === "for") {
      checkLoopControl(stmt.body, true);
      if (stmt.orelse) checkLoopControl(stmt.orelse, inLoop);
    }
  }
}
