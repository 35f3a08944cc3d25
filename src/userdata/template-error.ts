import { basename } from "node:path";

/**
 * A user-data template that cannot be rendered: which file, where (line and column), what is
 * wrong. The guest is told the file's name, the place and the problem (`forGuest`); the full
 * path and `detail` (such as every value name the config defines) are for the operator's log only.
 */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
    readonly detail?: string,
  ) {
    super(`${file}${place(line, column)}: ${problem}${detail === undefined ? "" : ` (${detail})`}`);
    this.name = "TemplateError";
  }

  /** What the guest may see: `name:line:column: problem`, without host paths or other values. */
  forGuest(): string {
    return `${basename(this.file)}${place(this.line, this.column)}: ${this.problem}`;
  }
}

/** ":line:column", or nothing for an error about the whole file (line 0). */
function place(line: number, column: number): string {
  return line === 0 ? "" : `:${line}:${column}`;
}
