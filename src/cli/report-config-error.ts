import { ConfigError, formatProblem } from "../config/config-error.js";
import { EXIT } from "./command.js";

/** Prints a config error's problems to stderr and returns exit code 78; rethrows anything else. */
export function reportConfigError(error: unknown): number {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) process.stderr.write(`error: ${formatProblem(problem)}\n`);
  process.stderr.write(
    `mdserver: configuration is not valid (${error.problems.length} problem${error.problems.length === 1 ? "" : "s"})\n`,
  );
  return EXIT.config;
}

/** Prints warnings to stderr. */
export function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
}
