import { loadConfig } from "../config/load-config.js";
import { createLogger, reopenLogFile } from "../log/logger.js";
import { startMdserver } from "../mdserver.js";
import { EXIT, type Command } from "./command.js";
import { printWarnings, reportConfigError } from "./report-config-error.js";

export const serveCommand: Command = {
  name: "serve",
  summary: "Runs the metadata server until SIGTERM or SIGINT.",
  async run(args) {
    let loaded;
    try {
      loaded = await loadConfig(args.config);
    } catch (error) {
      return reportConfigError(error);
    }
    const { config, warnings } = loaded;
    printWarnings(warnings);
    const log = createLogger(config.mdserver);
    for (const warning of warnings) log.warn(warning);
    log.info({ config: config.file, sources: config.mdserver.instance_source }, "starting");
    const server = await startMdserver(config, log);
    // logrotate's postrotate sends SIGHUP: write to the new file from now on.
    const onHangup = () => {
      reopenLogFile(log);
      log.info("log file reopened");
    };
    process.on("SIGHUP", onHangup);
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        log.info({ signal }, "stopping");
        resolve();
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
    process.off("SIGHUP", onHangup);
    await server.close();
    log.flush();
    return EXIT.ok;
  },
};
