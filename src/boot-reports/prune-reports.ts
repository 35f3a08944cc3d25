/**
 * Drops the boot reports of undefined domains: at start-up, a little after the inventory
 * changes (a domain that goes away usually stops first), and every few minutes for a stopped
 * domain undefined without a change the inventory sees. A look that fails drops nothing.
 */
import type { Config } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import type { BootReportStore } from "./boot-report-store.js";
import { definedDomains } from "./defined-domains.js";

/** When to look. */
export interface PruneTimes {
  /** After an inventory change (changes in a burst are looked at once). */
  readonly afterChangeMs: number;
  readonly everyMs: number;
}

export const PRUNE_TIMES: PruneTimes = { afterChangeMs: 5_000, everyMs: 10 * 60_000 };

/** A pruner; `changed` is to be called on inventory changes, `stop` ends it. */
export interface Pruner {
  /** Resolves once the first look (at start-up) is done. */
  readonly started: Promise<void>;
  changed(): void;
  stop(): Promise<void>;
}

/** Starts pruning `store` against the domains `config` names (see the module comment). */
export function startPruning(
  store: BootReportStore,
  config: Config,
  log: Logger,
  /** Whether libvirt answers now: while it does not, a look would only hang or fail. */
  healthy: () => boolean = () => true,
  times = PRUNE_TIMES,
): Pruner {
  let stopped = false;
  let soon: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let failing = false;
  const look = (): Promise<void> => {
    // One look at a time: a slow virsh never piles up lookers.
    running = running.then(async () => {
      if (stopped || !healthy()) return;
      const defined = await definedDomains(config);
      if (defined === undefined) {
        if (!failing) {
          log.warn(
            { fault: "boot-reports:prune" },
            "cannot list libvirt's domains; boot reports kept as they are",
          );
        }
        failing = true;
        return;
      }
      failing = false;
      if (!stopped) store.keepOnly(defined);
    });
    return running;
  };
  const every = setInterval(() => void look(), times.everyMs);
  every.unref();
  return {
    started: look(),
    changed: () => {
      if (stopped || soon !== undefined) return;
      soon = setTimeout(() => {
        soon = undefined;
        void look();
      }, times.afterChangeMs);
      soon.unref();
    },
    stop: async () => {
      stopped = true;
      clearInterval(every);
      clearTimeout(soon);
      await running;
    },
  };
}
