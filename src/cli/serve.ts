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

    // Installed before start-up (which can take seconds on a large host), so a stop request
    // then still ends in an orderly close, child processes included.
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGTERM", resolve);
      process.once("SIGINT", resolve);
    });
    // logrotate's postrotate sends SIGHUP: write to the new file from now on.
    const onHangup = () => {
      reopenLogFile(log);
      log.info("log file reopened");
    };
    process.on("SIGHUP", onHangup);

    log.info({ config: config.file, sources: config.mdserver.instance_source }, "starting");
    let server;
    try {
      server = await startMdserver(config, log);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.fatal({ err: error }, "cannot start");
      log.flush();
      process.stderr.write(`mdserver: cannot start: ${message}\n`);
      return EXIT.failure;
    }
    const signal = await stopped;
    log.info({ signal }, "stopping");
    process.off("SIGHUP", onHangup);
    await server.close();
    log.flush();
    return EXIT.ok;
  },
};
