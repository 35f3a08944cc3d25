/**
 * What guest-setup and network-setup share: their command line, the config they take the
 * connection and defaults from, one read-write virsh session for the whole run, and the
 * report (one line per domain or network, a diff each with --dry-run; exit 1 if any failed).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Config } from "../config/config.js";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../config/load-config.js";
import type { SetupOutcome } from "../setup/setup-domains.js";
import { VirshShell, VirshShellError } from "../setup/virsh-shell.js";
import { VERSION } from "../version.js";
import { EXIT, UsageError } from "./command.js";
import { printWarnings, reportConfigError } from "./report-config-error.js";

/** The parsed command line. */
export interface SetupArgs {
  readonly config: string;
  readonly connect?: string | undefined;
  readonly mode?: string | undefined;
  readonly dryRun: boolean;
  readonly all: boolean;
  readonly names: readonly string[];
}

/** One set-up command's words. */
export interface SetupCommandSpec {
  readonly name: string;
  readonly summary: string;
  /** What the positional arguments are ("DOMAIN", "NETWORK"). */
  readonly what: string;
  /** Help text for --all and any other option. */
  readonly help: string;
  readonly modeOption: boolean;
}

/** What a run gets: the config, the session, where to put files, the arguments. */
export interface SetupRun {
  readonly config: Config;
  readonly shell: VirshShell;
  readonly scratch: string;
  readonly args: SetupArgs;
}

/** Parses, loads the config, opens the session, runs `act` and reports its outcomes. */
export async function runSetupCommand(
  spec: SetupCommandSpec,
  argv: readonly string[],
  act: (run: SetupRun) => Promise<SetupOutcome[]>,
): Promise<number> {
  const args = parseSetupArgs(spec, argv);
  if (args === undefined) return EXIT.ok;
  let config: Config;
  try {
    const loaded = await loadConfig(args.config);
    printWarnings(loaded.warnings);
    config = loaded.config;
  } catch (error) {
    return reportConfigError(error);
  }
  const uris = [...new Set(config.libvirt.uri)];
  const uri = args.connect ?? uris[0];
  if (uri === undefined || (args.connect === undefined && uris.length > 1)) {
    throw new UsageError(
      `[libvirt] uri names ${uris.length} connections: choose one with --connect`,
    );
  }
  const shell = new VirshShell({
    virsh: config.libvirt.virsh,
    uri,
    timeoutMs: config.libvirt.timeout * 1000,
  });
  const scratch = await mkdtemp(join(tmpdir(), "mdserver-setup-"));
  let outcomes: SetupOutcome[];
  try {
    outcomes = await act({ config, shell, scratch, args });
  } catch (error) {
    // libvirt could not be read at all (--all lists through it): one line, not a stack.
    if (!(error instanceof VirshShellError)) throw error;
    process.stderr.write(`mdserver ${spec.name}: ${uri}: ${error.message}\n`);
    return EXIT.failure;
  } finally {
    await shell.close();
    await rm(scratch, { recursive: true, force: true });
  }
  for (const outcome of outcomes) {
    const line = `${outcome.name}: ${outcome.message}\n`;
    if (outcome.ok) process.stdout.write(line);
    else process.stderr.write(`mdserver ${spec.name}: ${line}`);
    if (outcome.diff !== undefined) process.stdout.write(outcome.diff);
  }
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failure;
}

function parseSetupArgs(spec: SetupCommandSpec, argv: readonly string[]): SetupArgs | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c" },
        connect: { type: "string" },
        ...(spec.modeOption ? { mode: { type: "string" as const } } : {}),
        "dry-run": { type: "boolean", short: "n" },
        all: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (error) {
    throw new UsageError(`mdserver ${spec.name}: ${(error as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(setupHelp(spec));
    return undefined;
  }
  if (values.version) {
    process.stdout.write(`mdserver ${VERSION}\n`);
    return undefined;
  }
  const all = values.all === true;
  if (all === positionals.length > 0) {
    throw new UsageError(`mdserver ${spec.name}: name one ${spec.what} or more, or give --all`);
  }
  return {
    config: values.config ?? DEFAULT_CONFIG_FILE,
    connect: values.connect,
    mode: "mode" in values ? (values.mode as string | undefined) : undefined,
    dryRun: values["dry-run"] === true,
    all,
    names: positionals,
  };
}

function setupHelp(spec: SetupCommandSpec): string {
  return `Usage: mdserver ${spec.name} [options] ${spec.what}...
       mdserver ${spec.name} [options] --all

${spec.summary}

Options:
${spec.help}  -n, --dry-run      print what would change (a diff) and change nothing
      --connect URI  the libvirt connection (default: [libvirt] uri)
  -c, --config FILE  configuration file (default ${DEFAULT_CONFIG_FILE})
  -h, --help         show this help
  -V, --version      show the version
`;
}
