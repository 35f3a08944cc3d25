/**
 * Splits a template into text and code exactly as bottle 0.12's StplParser.translate() does,
 * quirks included, but instead of Python source it yields lines with the indentation level
 * bottle would give them: text lines (literal text and `{{…}}` expressions) and code lines
 * (one Python logical line each). Pure.
 *
 * Rules copied from bottle: a line whose first non-blank characters are `%` or `<%` is code
 * (the blanks are dropped); `\%` and `%%` at that place are escapes, and after an escaped line
 * bottle skips one more character, the first of the next line; the newline after a code line
 * is not output; text ending in `\\` and a newline right before code (or at the end) loses
 * both; `if`/`for`/… open a level and `end` closes one; `<% … %>` blocks end only where `%>`
 * ends a line.
 */
import { CompileError } from "./errors.js";
import { findInlines, ScanBudgetExceeded } from "./inline-scanner.js";
import { type MappedText, MappedTextBuilder } from "./mapped-text.js";
import { strip } from "./py-str.js";
import { SPLIT, TOKEN } from "./stpl-patterns.js";

/** A `{{expr}}` (escaped) or `{{!expr}}` (raw); `at` is where its braces start. */
export interface InlineExpr {
  readonly code: MappedText;
  readonly raw: boolean;
  readonly at: number;
}

/** Literal text or an inline expression. */
export type TextPart = string | InlineExpr;

/** A line of bottle's generated code, at its indentation level. */
export type LexLine =
  | {
      readonly kind: "text";
      readonly level: number;
      readonly parts: readonly TextPart[];
      readonly at: number;
    }
  | { readonly kind: "code"; readonly level: number; readonly code: MappedText };

/** The template as bottle would translate it; throws CompileError for what bottle could not use. */
export function lexTemplate(source: string): LexLine[] {
  return new StplLexer(source).run();
}

interface Pending {
  readonly level: number;
  readonly code: MappedTextBuilder;
  readonly at: number;
}

class StplLexer {
  private offset = 0;
  private indent = 0;
  private indentMod = 0;
  private parenDepth = 0;
  private text = new MappedTextBuilder();
  private pending: Pending | undefined;
  private readonly lines: LexLine[] = [];

  constructor(private readonly source: string) {}

  run(): LexLine[] {
    const source = this.source;
    for (;;) {
      const m = SPLIT.exec(source.slice(this.offset));
      if (m === null) break;
      const start = this.offset + m.index;
      this.text.add(source.slice(this.offset, start), this.offset);
      this.offset = start + m[0].length;
      const token = m[2] as string;
      const second = m[5] as string;
      if (m[1] !== "" || second !== "") {
        // An escaped line is text: the token (and, after a backslash, the second %) and the
        // rest of the line. bottle then skips one more character: the next line's first.
        const tokenAt = this.offset - second.length - token.length;
        if (m[1] !== "") this.text.add(token + second, tokenAt);
        else this.text.add(token, tokenAt);
        const newline = source.indexOf("\n", this.offset);
        const end = newline < 0 ? source.length : newline + 1;
        this.text.add(source.slice(this.offset, end), this.offset);
        this.offset = end + 1;
        continue;
      }
      this.flushText();
      this.readCode(m[4] !== undefined, start);
    }
    this.text.add(source.slice(this.offset), this.offset);
    this.flushText();
    if (this.pending) throw unclosed(this.pending);
    return this.lines;
  }

  /** bottle's read_code: one `%` line, or a `<% … %>` block, token by token. */
  private readCode(multiline: boolean, start: number): void {
    const source = this.source;
    let code = new MappedTextBuilder();
    let comment: number | undefined;
    for (;;) {
      const rest = source.slice(this.offset);
      const m = TOKEN.exec(rest);
      if (m === null) {
        code.add(rest, this.offset);
        this.offset = source.length;
        this.writeCode(code.build(start));
        return;
      }
      code.add(rest.slice(0, m.index), this.offset);
      const at = this.offset + m.index;
      this.offset = at + m[0].length;
      const [, str, hash, open, close, block, next, end, blockEnd] = m;
      const keyword = block ?? next;
      if ((code.length > 0 || this.parenDepth > 0) && keyword !== undefined) {
        code.add(keyword, at); // a keyword inside an expression: `a if b else c`
      } else if (str !== undefined) {
        code.add(str, at);
      } else if (hash !== undefined) {
        comment = at;
        if (multiline && strip(hash).endsWith("%>")) multiline = false;
      } else if (open !== undefined) {
        this.parenDepth++;
        code.add(open, at);
      } else if (close !== undefined) {
        if (this.parenDepth > 0) this.parenDepth--;
        code.add(close, at);
      } else if (block !== undefined) {
        code = new MappedTextBuilder().add(block, at);
        this.indentMod = -1;
        this.indent++;
      } else if (next !== undefined) {
        code = new MappedTextBuilder().add(next, at);
        this.indentMod = -1;
      } else if (end !== undefined) {
        this.indent--;
      } else if (blockEnd !== undefined) {
        if (multiline) multiline = false;
        else code.add(blockEnd, at);
      } else {
        this.writeCode(code.build(at), comment);
        code = new MappedTextBuilder();
        comment = undefined;
        this.indentMod = 0;
        if (!multiline) return;
      }
    }
  }

  /**
   * One line of code. Python joins lines inside open brackets (skipping blank ones), and a
   * line ending in a backslash with the next line, whatever it is: a blank line ends the
   * statement, and after a line that is only a backslash, text prints as it would alone.
   * `comment`: where a comment starts on this line (bottle keeps it in the code).
   */
  private writeCode(raw: MappedText, comment?: number): void {
    const code = raw.strip();
    if (comment !== undefined && code.text.endsWith("\\")) {
      throw new CompileError("unexpected character after line continuation character", comment);
    }
    const level = Math.max(0, this.indent + this.indentMod);
    const pending = this.pending;
    if (pending !== undefined) {
      const afterBackslash = pending.code.current.endsWith("\\");
      if (code.text === "" && !afterBackslash) return;
      code.appendTo(pending.code.add("\n", code.sourceOffset(0)));
    } else if (code.text === "") {
      return;
    } else if (this.parenDepth === 0 && !code.text.endsWith("\\")) {
      this.lines.push({ kind: "code", level, code });
      return;
    } else {
      const builder = new MappedTextBuilder();
      code.appendTo(builder);
      this.pending = { level, code: builder, at: code.sourceOffset(0) };
    }
    const joined = this.pending as Pending;
    if (this.parenDepth === 0 && !joined.code.current.endsWith("\\")) {
      if (joined.code.current.trim() !== "\\") {
        this.lines.push({ kind: "code", level: joined.level, code: joined.code.build(joined.at) });
      }
      this.pending = undefined;
    }
  }

  /** bottle's flush_text: the text since the last code, split at its inline expressions. */
  private flushText(): void {
    const text = this.text.build(this.offset);
    this.text = new MappedTextBuilder();
    if (text.text === "") return;
    if (this.pending?.code.current === "\\") this.pending = undefined;
    if (this.pending) throw unclosed(this.pending);
    const parts: TextPart[] = [];
    let pos = 0;
    let found;
    try {
      found = findInlines(text.text);
    } catch (error) {
      if (error instanceof ScanBudgetExceeded) {
        throw new CompileError(error.message, text.sourceOffset(0));
      }
      throw error;
    }
    for (const m of found) {
      if (m.start > pos) parts.push(text.text.slice(pos, m.start));
      pos = m.end;
      const at = text.sourceOffset(m.start);
      const inner = text.slice(m.innerStart, m.innerEnd).strip();
      if (inner.text === "") throw new CompileError("empty {{ }}", at);
      const raw = inner.text.startsWith("!");
      parts.push({ code: raw ? inner.slice(1) : inner, raw, at });
    }
    if (pos < text.text.length) {
      let rest = text.text.slice(pos);
      if (rest.endsWith("\\\\\n")) rest = rest.slice(0, -3);
      else if (rest.endsWith("\\\\\r\n")) rest = rest.slice(0, -4);
      parts.push(rest);
    }
    const level = Math.max(0, this.indent + this.indentMod);
    this.lines.push({ kind: "text", level, parts, at: text.sourceOffset(0) });
  }
}

function unclosed(pending: Pending): CompileError {
  const what = pending.code.current.endsWith("\\")
    ? "this code line ends in a backslash but no code line follows"
    : "a bracket opened on this code line is not closed before the next text (or the end)";
  return new CompileError(what, pending.at);
}
