import { loadConfig } from "../config/load-config.js";
import { createLogger, reopenLogFile } from "../log/logger.js";
import { startMdserver, type RunningMdserver } from "../mdserver.js";
import { EXIT, type Command } from "./command.js";
import { reloadConfig } from "./reload.js";
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
    // After logrotate (SIGUSR1): write to the new file from now on.
    const reopenLog = () => {
      reopenLogFile(log);
      log.info("log file reopened");
    };
    // SIGHUP re-reads the config and reopens the log (cli/reload.ts), one reload at a time;
    // during start-up it only reopens the log, once stopping it does nothing.
    let server: RunningMdserver | undefined;
    let stopping = false;
    let reloading = Promise.resolve();
    const onHangup = () => {
      reloading = reloading.then(async () => {
        if (stopping) return;
        if (server) await reloadConfig(config.file, server, log);
        else reopenLogFile(log);
      });
    };
    const removeSignalHandlers = handleSignals(log, { reopenLog, hangup: onHangup });

    log.info({ config: config.file, sources: config.mdserver.instance_source }, "starting");
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
    stopping = true;
    await reloading;
    await server.close();
    removeSignalHandlers();
    log.flush();
    // A log nobody reads (a full pipe, a broken disk) must not hold the exit: what is still
    // waiting after a moment is given up.
    setTimeout(() => process.exit(EXIT.ok), EXIT_GRACE_MS).unref();
    return EXIT.ok;
  },
};
