/**
 * SIGHUP: re-read the config file and apply it to the running server. A config with problems
 * changes nothing: every problem is logged (file, line, section.key) and the running
 * configuration stays in force. The log file is reopened too, as logrotate set up for the
 * original sends SIGHUP after rotating.
 */
import { ConfigError, formatProblem } from "../config/config-error.js";
import { loadConfig } from "../config/load-config.js";
import { reopenLogFile, type Logger } from "../log/logger.js";
import type { RunningMdserver } from "../mdserver.js";

/** Reloads `file` into `server`; resolves true when the new configuration is in force. */
export async function reloadConfig(
  file: string,
  server: RunningMdserver,
  log: Logger,
): Promise<boolean> {
  reopenLogFile(log);
  log.info("log file reopened");
  log.info({ config: file }, "reloading the configuration");
  let loaded;
  try {
    loaded = await loadConfig(file);
  } catch (error) {
    const problems =
      error instanceof ConfigError ? error.problems : [{ file, message: String(error) }];
    for (const problem of problems) log.error({ config: file }, formatProblem(problem));
    log.error(
      { config: file, problems: problems.length },
      "configuration not reloaded: it has problems; the running configuration stays in force",
    );
    return false;
  }
  for (const warning of loaded.warnings) log.warn(warning);
  let restart: string[];
  try {
    restart = await server.reload(loaded.config);
  } catch (error) {
    log.error(
      { config: file, err: error },
      "configuration not reloaded: cannot listen as it says; the running configuration stays in force",
    );
    return false;
  }
  if (restart.length > 0) {
    log.warn(
      { config: file, keys: restart },
      `configuration reloaded; a restart is needed to apply: ${restart.join(", ")}`,
    );
  } else {
    log.info({ config: file }, "configuration reloaded");
  }
  return true;
}
