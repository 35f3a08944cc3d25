import { renderConfig } from "../config/render-config.js";
import { loadConfig } from "../config/load-config.js";
import { EXIT, type Command } from "./command.js";
import { printWarnings, reportConfigError } from "./report-config-error.js";

export const dumpConfigCommand: Command = {
  name: "dump-config",
  summary: "Prints the effective configuration, every default filled in, secrets masked.",
  async run({ config }) {
    try {
      const loaded = await loadConfig(config);
      printWarnings(loaded.warnings);
      process.stdout.write(renderConfig(loaded.config));
      return EXIT.ok;
    } catch (error) {
      return reportConfigError(error);
    }
  },
};
