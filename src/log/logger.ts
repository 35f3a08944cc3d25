/**
 * Structured (JSON lines) logging with pino: to the configured log file, or to standard
 * output ("-" or "stdout") where journald collects it. Secrets are never passed to it.
 */
import { pino, type Logger } from "pino";
import { logsToStdout, type MdserverConfig } from "../config/sections/mdserver.js";

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
  const destination = logsToStdout(settings.logfile)
    ? pino.destination({ dest: 1, sync: false })
    : pino.destination({ dest: settings.logfile, sync: false, mkdir: true });
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
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    { reopen?: () => void; fd?: number } | undefined;
  if (stream?.reopen && stream.fd !== 1) stream.reopen();
}
