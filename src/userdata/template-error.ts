/** A user-data template that cannot be rendered: which file, which line, what is wrong. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = "TemplateError";
  }
}
