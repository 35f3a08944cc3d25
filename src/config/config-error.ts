/** A problem with the configuration, located as precisely as we can. */
export interface ConfigProblem {
  readonly file: string;
  readonly line?: number | undefined;
  /** `section.key`, or `[section]` for a whole section. */
  readonly where?: string | undefined;
  readonly message: string;
}

/** Formats a problem as `file:line: section.key: message`. */
export function formatProblem(problem: ConfigProblem): string {
  const at = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return problem.where
    ? `${at}: ${problem.where}: ${problem.message}`
    : `${at}: ${problem.message}`;
}

/** The configuration cannot be used; carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
  }
}
