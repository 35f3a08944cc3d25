/** The start-up log's warnings about guests that cannot find mdserver (see setup-check.ts). */
import type { Config } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import { checkSetup } from "./setup-check.js";

/** Domains named in one log line at most; the rest are counted. */
const NAMES_LOGGED = 50;

/** Checks and logs; never throws (a failed check is a warning too). Abort to stop early. */
export async function logSetupFindings(
  config: Config,
  log: Logger,
  signal?: AbortSignal,
): Promise<void> {
  try {
    const mode = config.mdserver.guest_setup;
    for (const found of await checkSetup(config, signal)) {
      if (signal?.aborted) return;
      const { uri } = found;
      if (found.problem !== undefined) {
        log.warn({ uri, problem: found.problem }, "cannot check whether guests can find mdserver");
      }
      for (const network of found.unroutedNetworks) {
        log.warn(
          { uri, network, fix: `mdserver network-setup ${network}` },
          "isolated network: its guests have no route to 169.254.169.254",
        );
      }
      if (found.notSetUp.length > 0) {
        log.warn(
          {
            uri,
            guest_setup: mode,
            count: found.notSetUp.length,
            domains: found.notSetUp.slice(0, NAMES_LOGGED),
            fix: "mdserver guest-setup --all",
          },
          "domains not set up: cloud-init in a stock image will not ask",
        );
      }
    }
  } catch (error) {
    log.warn({ err: error }, "cannot check whether guests can find mdserver");
  }
}
