/**
 * mdserver's command line: `mdserver <command> [--config FILE]`, and the original's form
 * `mdserver FILE` (how its unit files start it), which means `mdserver serve --config FILE`.
 */
// First: the heap settings apply to everything loaded after them.
import "./v8-memory.js";
import { checkConfigCommand } from "./cli/check-config.js";
import {
  EXIT,
  parseCommonArgs,
  UsageError,
  type ArgvCommand,
  type Command,
} from "./cli/command.js";
import { dumpConfigCommand } from "./cli/dump-config.js";
import { guestSetupCommand } from "./cli/guest-setup.js";
import { knownHostsCommand } from "./cli/known-hosts.js";
import { listCommand } from "./cli/list.js";
import { renderCommand } from "./cli/render.js";
import { networkSetupCommand } from "./cli/network-setup.js";
import { passwdCommand } from "./cli/passwd.js";
import { serveCommand } from "./cli/serve.js";
import { statusCommand } from "./cli/status.js";
import { VERSION } from "./version.js";

const COMMANDS: ReadonlyArray<Command | ArgvCommand> = [
  serveCommand,
  checkConfigCommand,
  dumpConfigCommand,
  listCommand,
  statusCommand,
  renderCommand,
  guestSetupCommand,
  networkSetupCommand,
  knownHostsCommand,
  passwdCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: mdserver <command> [--config FILE]
       mdserver FILE            (same as: mdserver serve --config FILE)

mdserver ${VERSION}: a metadata server for libvirt guests (EC2, OpenStack and NoCloud metadata).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run "mdserver <command> --help" for a command's options.
`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) return run(serveCommand, []);
  if (first === "--help" || first === "-h" || first === "help") {
    process.stdout.write(usage());
    return EXIT.ok;
  }
  if (first === "--version" || first === "-V") {
    process.stdout.write(`mdserver ${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (command) return run(command, rest);
  if (!first.startsWith("-") && rest.length === 0) return run(serveCommand, [first]);
  if (first.startsWith("-")) return run(serveCommand, argv);
  throw new UsageError(`unknown command "${first}"`);
}

async function run(command: Command | ArgvCommand, args: readonly string[]): Promise<number> {
  if ("runArgv" in command) return command.runArgv(args);
  const common = parseCommonArgs(command, args);
  return common === undefined ? EXIT.ok : command.run(common);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`mdserver: ${error.message}\n\n${usage()}`);
      process.exitCode = EXIT.usage;
    } else {
      process.stderr.write(
        `mdserver: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = EXIT.failure;
    }
  },
);
