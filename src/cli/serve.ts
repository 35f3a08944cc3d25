import { loadConfig } from "../config/load-config.js";
import { createLogger, reopenLogFile } from "../log/logger.js";
import { startMdserver } from "../mdserver.js";
import { EXIT, type Command } from "./command.js";
import { printWarnings, reportConfigError } from "./report-config-error.js";
import { handleSignals } from "./signals.js";

/** How long the log may take to be written out once the server has stopped. */
const EXIT_GRACE_MS = 1000;

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
    // After logrotate (SIGUSR1; SIGHUP from older configs): write to the new file from now on.
    const reopenLog = () => {
      reopenLogFile(log);
      log.info("log file reopened");
    };
    const removeSignalHandlers = handleSignals(log, { reopenLog, hangup: reopenLog });

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
    await server.close();
    removeSignalHandlers();
    log.flush();
    // A log nobody reads (a full pipe, a broken disk) must not hold the exit: what is still
    // waiting after a moment is given up.
    setTimeout(() => process.exit(EXIT.ok), EXIT_GRACE_MS).unref();
    return EXIT.ok;
  },
};
