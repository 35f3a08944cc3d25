import { loadConfig } from "../config/load-config.js";
import { EXIT, type Command } from "./command.js";
import { printWarnings, reportConfigError } from "./report-config-error.js";

export const checkConfigCommand: Command = {
  name: "check-config",
  summary:
    "Checks a configuration file and prints every problem found (exit 78), or that it is valid.",
  async run({ config }) {
    try {
      const { warnings } = await loadConfig(config);
      printWarnings(warnings);
      process.stdout.write(`${config}: configuration is valid\n`);
      return EXIT.ok;
    } catch (error) {
      return reportConfigError(error);
    }
  },
};
