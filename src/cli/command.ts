/** What every subcommand shares: its options, help text and exit codes. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DEFAULT_CONFIG_FILE } from "../config/load-config.js";
import { VERSION } from "../version.js";

/** sysexits.h codes the commands use. */
export const EXIT = { ok: 0, failure: 1, usage: 64, config: 78 } as const;

/** Raised for a bad command line; main prints it with the usage and exits 64. */
export class UsageError extends Error {}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Resolves with the exit code (serve resolves when the server stops). */
  run(args: CommonArgs): Promise<number>;
}

/** A command with options of its own: it parses its whole argument list, help included. */
export interface ArgvCommand {
  readonly name: string;
  readonly summary: string;
  /** Resolves with the exit code; throws UsageError for a bad command line. */
  runArgv(argv: readonly string[]): Promise<number>;
}

export interface CommonArgs {
  readonly config: string;
}

/** The options every command takes. */
export const COMMON_OPTIONS = {
  config: { type: "string", short: "c" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const satisfies ParseArgsConfig["options"];

/** node's parseArgs with positionals allowed, a bad command line thrown as a UsageError. */
export function parseArgv<const O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: O,
) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Parses `[--config FILE | FILE] [--help] [--version]`. Returns undefined when help or the
 * version was printed instead.
 */
export function parseCommonArgs(command: Command, argv: readonly string[]): CommonArgs | undefined {
  const { values, positionals } = parseArgv(argv, COMMON_OPTIONS);
  if (values.help) {
    process.stdout.write(commandHelp(command));
    return undefined;
  }
  if (values.version) {
    process.stdout.write(`mdserver ${VERSION}\n`);
    return undefined;
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.config !== undefined)) {
    throw new UsageError(`mdserver ${command.name}: give one config file`);
  }
  return { config: values.config ?? positionals[0] ?? DEFAULT_CONFIG_FILE };
}

export function commandHelp(command: Command): string {
  return `Usage: mdserver ${command.name} [--config FILE]

${command.summary}

Options:
  -c, --config FILE  configuration file (default ${DEFAULT_CONFIG_FILE});
                     may also be given as the only argument
  -h, --help         show this help
  -V, --version      show the version
`;
}
