/**
 * `mdserver known-hosts [NAME…]`: known_hosts lines for the guests that reported their ssh
 * host keys (boot reports), all of them or the ones named (by libvirt name, DNS name or
 * address). Reads the state file the server keeps; needs no running server and no libvirt.
 * Exits 1 when a NAME has no report.
 */
import { loadBootReports } from "../boot-reports/boot-report-file.js";
import { knownHostsLines, reportMatches } from "../boot-reports/known-hosts.js";
import type { Config } from "../config/config.js";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../config/load-config.js";
import { VERSION } from "../version.js";
import { COMMON_OPTIONS, EXIT, parseArgv, type ArgvCommand } from "./command.js";
import { printWarnings, reportConfigError } from "./report-config-error.js";

const SUMMARY = "Prints known_hosts lines for the guests' ssh host keys (from boot reports).";

const HELP = `Usage: mdserver known-hosts [--config FILE] [NAME...]

${SUMMARY}
Each guest's keys are listed under its name, its DNS names and its address. NAME may be any
of these; without one, every guest that reported. For example:
  mdserver known-hosts web1 >> ~/.ssh/known_hosts

Options:
  -c, --config FILE  configuration file (default ${DEFAULT_CONFIG_FILE})
  -h, --help         show this help
  -V, --version      show the version
`;

/** `mdserver known-hosts`. */
export const knownHostsCommand: ArgvCommand = {
  name: "known-hosts",
  summary: SUMMARY,
  async runArgv(argv) {
    const { values, positionals } = parseArgv(argv, COMMON_OPTIONS);
    if (values.help || values.version) {
      process.stdout.write(values.help ? HELP : `mdserver ${VERSION}\n`);
      return EXIT.ok;
    }
    let config: Config;
    try {
      const loaded = await loadConfig(values.config ?? DEFAULT_CONFIG_FILE);
      printWarnings(loaded.warnings);
      config = loaded.config;
    } catch (error) {
      return reportConfigError(error);
    }
    const file = config.mdserver.boot_reports_file;
    let reports;
    try {
      reports = await loadBootReports(file);
    } catch (error) {
      process.stderr.write(`mdserver known-hosts: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
    const naming = config.dnsmasq;
    let code: number = EXIT.ok;
    for (const wanted of positionals) {
      if (!reports.some((report) => reportMatches(report, naming, wanted))) {
        process.stderr.write(`mdserver known-hosts: no boot report from "${wanted}"\n`);
        code = EXIT.failure;
      }
    }
    const chosen =
      positionals.length === 0
        ? reports
        : reports.filter((report) => positionals.some((w) => reportMatches(report, naming, w)));
    const lines = knownHostsLines(chosen, naming);
    process.stdout.write(lines.map((line) => `${line}\n`).join(""));
    return code;
  },
};
