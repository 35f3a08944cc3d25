/**
 * Structured (JSON lines) logging with pino: to the configured log file, or to standard
 * output ("-" or "stdout") where journald collects it. Secrets are never passed to it.
 */
import { pino, type Logger } from "pino";
import { logsToStdout, type MdserverConfig } from "../config/sections/mdserver.js";
import { LogDestination } from "./log-destination.js";

export type { Logger };

const LEVELS: Record<MdserverConfig["loglevel"], pino.Level> = {
  debug: "debug",
  info: "info",
  warning: "warn",
  warn: "warn",
  error: "error",
  critical: "fatal",
};

/** The server's logger as the [mdserver] section describes it. */
export function createLogger(
  settings: Pick<MdserverConfig, "logfile" | "loglevel" | "debug">,
): Logger {
  const destination = new LogDestination(logsToStdout(settings.logfile) ? 1 : settings.logfile);
  return pino(
    {
      level: settings.debug ? "debug" : LEVELS[settings.loglevel],
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** A logger that writes nothing (tests, one-shot commands). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/**
 * Reopens the log file (after logrotate moved it away); does nothing when logging to stdout.
 * `mdserver serve` calls this on SIGHUP.
 */
export function reopenLogFile(logger: Logger): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (stream instanceof LogDestination) stream.reopen();
}

/** Why the log is dropping lines (a write failed), or undefined while it works. */
export function logFailure(logger: Logger): string | undefined {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  return stream instanceof LogDestination ? stream.failure : undefined;
}
