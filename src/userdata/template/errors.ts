/** The engine's two failures, each tied to a place in the template's source. */

/** A template refused before rendering: bad syntax, or a construct outside the subset. */
export class CompileError extends Error {
  constructor(
    readonly problem: string,
    /** Offset in the template source. */
    readonly at: number,
  ) {
    super(problem);
    this.name = "CompileError";
  }
}

/**
 * A Python-style runtime error (`TypeError: …`, `KeyError: …`). Operations throw it without a
 * place; the innermost expression being evaluated adds its own (`at`, an offset in the source).
 */
export class PyError extends Error {
  at: number | undefined;

  constructor(
    readonly kind: string,
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
    this.name = "PyError";
  }
}
