/**
 * Boot reports as the server runs them: the store (read by the admin side through
 * BootReportSource), the frontend that takes the posts and the built-in vendor-data that asks
 * for them (both only with `[mdserver] phone_home`), and the pruning of undefined domains.
 */
import type { Config } from "../config/config.js";
import type { Frontend } from "../frontends/frontend.js";
import type { Logger } from "../log/logger.js";
import { createBootReportFrontend } from "./boot-report-frontend.js";
import { BootReportStore } from "./boot-report-store.js";
import { phoneHomeUrl, phoneHomeVendorData } from "./phone-home-vendor-data.js";
import { startPruning, type Pruner } from "./prune-reports.js";

/** The running parts. */
export interface BootReports {
  readonly store: BootReportStore;
  /** Takes the posts; undefined with phone_home = no. */
  readonly frontend: Frontend | undefined;
  /** The built-in vendor-data; undefined with phone_home = no. */
  vendorData(): string | undefined;
  /** To be called when the inventory changes (a domain may have been undefined). */
  inventoryChanged(): void;
  /** Stops pruning and waits for the last write. */
  close(): Promise<void>;
}

export interface BootReportOptions {
  /** The port guests reach this server on (known once it listens). */
  readonly port: () => number;
  /** Drop reports of undefined domains (off when a test gives its own sources). */
  readonly prune: boolean;
  /** Whether the instance sources are healthy (pruning waits for libvirt to answer). */
  readonly healthy?: () => boolean;
  /** Called for each report taken (the admin side counts them). */
  readonly received?: () => void;
}

/** Opens the store and sets up the rest (see the module comment). */
export async function startBootReports(
  config: Config,
  log: Logger,
  options: BootReportOptions,
): Promise<BootReports> {
  const store = await BootReportStore.open(config.mdserver.boot_reports_file, log);
  const on = config.mdserver.phone_home;
  const pruner: Pruner | undefined = options.prune
    ? startPruning(store, config, log, options.healthy)
    : undefined;
  let text: string | undefined;
  return {
    store,
    frontend: on ? createBootReportFrontend(store, options.received) : undefined,
    vendorData: () => {
      if (!on) return undefined;
      // Made once the port is known (the first guest asks after the server listens).
      text ??= phoneHomeVendorData(phoneHomeUrl(config, options.port()));
      return text;
    },
    inventoryChanged: () => pruner?.changed(),
    close: async () => {
      await pruner?.stop();
      await store.flush();
    },
  };
}
