/**
 * Assembles a running mdserver from a Config: inventory and its sources, user-data, the
 * frontends, HTTP listeners on every configured address, and the admin listener (health,
 * metrics, status). Used by `mdserver serve` and by the tests, which start it on loopback.
 * reload() applies a new Config without dropping a request (see restart-keys.ts for what
 * only a restart changes).
 */
import type { AddressInfo } from "node:net";
import { createAdminHandler } from "./admin/admin-handler.js";
import { AdminMetrics } from "./admin/admin-metrics.js";
import { GuestActivity } from "./admin/guest-activity.js";
import { checkHealth } from "./admin/health.js";
import { observeHandler } from "./admin/observe-handler.js";
import { firstIdentity, statusReport } from "./admin/status-report.js";
import type { BootReportSource } from "./boot-reports/boot-report.js";
import { startBootReports } from "./boot-reports/boot-reports.js";
import type { Config } from "./config/config.js";
import { changesNeedingRestart } from "./config/restart-keys.js";
import { createDnsManager } from "./dns/create-dns.js";
import type { DnsManager } from "./dns/dns-manager.js";
import { createDispatcher } from "./frontends/dispatch.js";
import { createEc2Frontend } from "./frontends/ec2/ec2-frontend.js";
import { SessionTokens } from "./frontends/ec2/session-tokens.js";
import type { Frontend } from "./frontends/frontend.js";
import { createGuestDocuments } from "./frontends/guest-documents.js";
import { createNoCloudFrontend } from "./frontends/nocloud/nocloud-frontend.js";
import { createOpenStackFrontend } from "./frontends/openstack/openstack-frontend.js";
import { createServiceFrontend } from "./frontends/service/service-frontend.js";
import { createGuard, type Timeouts } from "./http/http-server.js";
import { ListenerSet } from "./http/listener-set.js";
import type { Handler } from "./http/request.js";
import { createSources } from "./inventory/create-sources.js";
import { fallbackIdentities } from "./inventory/fallback-identity.js";
import { Inventory } from "./inventory/inventory.js";
import type { InstanceSource } from "./inventory/source.js";
import { logFailure, type Logger } from "./log/logger.js";
import { manageAddresses } from "./metadata-address/address-manager.js";
import { logSetupFindings } from "./setup/log-setup-findings.js";
import { UserdataService } from "./userdata/userdata-service.js";
import { VERSION } from "./version.js";

export interface StartOptions {
  /** Overrides mdserver.port (tests pass 0 for any free port). */
  readonly port?: number;
  /** Overrides admin.port (tests pass 0 for any free port). */
  readonly adminPort?: number;
  /** Overrides the sources the config names. */
  readonly sources?: readonly InstanceSource[];
  /** Overrides the HTTP time-outs (tests use short ones). */
  readonly timeouts?: Timeouts;
  /** The boot reports the status page shows; without, its column says "—". */
  readonly bootReports?: BootReportSource;
}

export interface RunningMdserver {
  readonly inventory: Inventory;
  /** Guest names in DNS, when dnsmasq.manage_addnhosts is on. */
  readonly dns: DnsManager | undefined;
  /** What guests reported when cloud-init finished (phone_home). */
  readonly bootReports: BootReportSource;
  /** The metadata addresses bound now (ports resolved). */
  readonly bound: readonly AddressInfo[];
  /** The admin listener's addresses bound now. */
  readonly adminBound: readonly AddressInfo[];
  /** What /metrics exports (the boot-report store counts its reports here). */
  readonly metrics: AdminMetrics;
  /**
   * Applies `config`: new keys, template values and defaults, [service], [ec2] and listeners.
   * Requests under way finish as they began. When a new listener cannot be bound, nothing
   * changes and the error is thrown. Resolves with the changed keys that need a restart.
   */
  reload(config: Config): Promise<string[]>;
  close(): Promise<void>;
}

/** A handler built from one config, and what it needs closing when replaced. */
interface Built {
  readonly config: Config;
  readonly handler: Handler;
  readonly frontends: ReadonlyArray<readonly [string, Frontend]>;
  readonly userdata: UserdataService;
}

export async function startMdserver(
  config: Config,
  log: Logger,
  options: StartOptions = {},
): Promise<RunningMdserver> {
  const metrics = new AdminMetrics(() => countBySource(inventory));
  const sources =
    options.sources ??
    createSources(config, log, {
      observeLibvirt: (source, seconds, ok) => metrics.libvirtPass(source, seconds, ok),
    });
  const inventory = new Inventory(
    sources,
    config.libvirt.miss_refresh_interval,
    (message, detail) => log.warn(detail, message),
  );
  // Fed by inventory changes only (never by requests); it writes in the background.
  const dns = createDnsManager(
    config,
    log,
    (address, instance) => inventory.lookup(address)?.instance.uuid === instance.uuid,
  );
  if (dns) inventory.onChange(dns.listener);
  // Fetch records are kept for known guests only: a guest that goes takes its record along.
  const activity = new GuestActivity();
  inventory.onChange((instances) => activity.forget(new Set(instances.map((i) => i.uuid))));
  await inventory.start();
  // The inventory tells only of changes; an empty start is none, yet what an earlier run
  // left in DNS must still be brought in line: the first sync is always made.
  dns?.listener(inventory.instances());

  const tokens = new SessionTokens();
  // Opened before the listeners: the phone_home URL names the port they end up on.
  const reports = await startBootReports(config, log, {
    port: () => metadata.bound[0]?.port ?? options.port ?? config.mdserver.port,
    prune: options.sources === undefined,
    healthy: () => sources.every((source) => source.health().ok),
    received: () => metrics.bootReportReceived(),
  });
  inventory.onChange(() => reports.inventoryChanged());
  const build = (config: Config): Built => {
    const userdata = new UserdataService(config, log, reports.vendorData);
    const documents = createGuestDocuments(config, userdata);
    const fallback = config.mdserver.fallback_identity
      ? fallbackIdentities(config.mdserver.hostname_prefix)
      : undefined;
    // The EC2 frontend takes every path the others do not: it comes last.
    const ec2 = createEc2Frontend(config, documents, tokens);
    const frontends: ReadonlyArray<readonly [string, Frontend]> = [
      ...(reports.frontend ? [["boot-report", reports.frontend] as const] : []),
      // [service] is under [ec2]'s token rule (require_token = yes covers /service/ too).
      ["service", createServiceFrontend(config, ec2.checkToken)],
      ["openstack", createOpenStackFrontend(config, documents)],
      ["nocloud", createNoCloudFrontend(config, documents)],
      ["ec2", ec2],
    ] as const;
    const handler = createDispatcher(
      // A known address is a map read; only an unknown one waits for a refresh of the sources.
      (client) =>
        inventory.lookup(client) ??
        inventory.resolve(client).then((found) => found ?? fallback?.(client)),
      frontends.map(([, frontend]) => frontend),
    );
    return { config, handler, frontends, userdata };
  };
  let current = build(config);
  // The servers call through `current`: a reload swaps it, and a request under way keeps the
  // handler it started with.
  const metadataHandler = observeHandler((request) => current.handler(request), {
    metrics,
    activity,
    frontendOf: (segments) => current.frontends.find(([, f]) => f.matches(segments))?.[0] ?? "none",
    lookup: (client) => inventory.lookup(client),
  });
  // One set of limits over every metadata listen address (a restart changes them).
  const guard = createGuard({
    connections: config.mdserver.max_connections,
    clientConnections: config.mdserver.max_client_connections,
    clientRate: config.mdserver.client_rate,
    clientBurst: config.mdserver.client_burst,
  });
  const metadata = new ListenerSet("metadata", metadataHandler, log, options.timeouts, log, guard);
  const adminProblems: string[] = [];
  const health = () =>
    checkHealth({
      sources: () => sources,
      dns: () => dns?.health(),
      log: () => logFailure(log),
      listeners: () => [...metadata.waiting, ...admin.waiting, ...adminProblems],
    });
  const adminHandler = createAdminHandler({
    metrics,
    health,
    status: () =>
      statusReport({
        version: VERSION,
        instances: () => inventory.instances(),
        origin: (instance) => current.userdata.origin(firstIdentity(instance)),
        activity,
        bootReports: options.bootReports ?? reports.store,
        health,
      }),
  });
  // Scrapes and page loads are not worth an access-log line each; errors still are logged.
  const quiet = log.child({}, { level: log.isLevelEnabled("warn") ? "warn" : log.level });
  const admin = new ListenerSet("admin", adminHandler, log, options.timeouts, quiet);
  const listen = async (config: Config): Promise<void> => {
    await metadata.update(config.mdserver.listen_address, options.port ?? config.mdserver.port);
    const { enabled, listen_address, port } = config.admin;
    adminProblems.length = 0;
    // The admin side is for the operator: when it cannot listen, guests are still served.
    await admin
      .update(enabled ? listen_address : [], options.adminPort ?? port)
      .catch((error: unknown) => {
        const message = `admin ${listen_address.join(",")}:${port}: ${(error as Error).message}`;
        adminProblems.push(message);
        log.error({ err: error, listener: "admin" }, "cannot listen");
      });
  };

  // The metadata address on the bridges first, so that listening on it works at once.
  const stopManaging = config.mdserver.manage_address
    ? await manageAddresses(config, log)
    : undefined;
  /** Everything started above, in the order it is to stop. */
  const stopAll = async (): Promise<void> => {
    await stopManaging?.();
    await metadata.close();
    await admin.close();
    await inventory.stop();
    await dns?.stop();
    current.userdata.close();
    await reports.close();
  };
  try {
    await listen(config);
  } catch (error) {
    await stopAll();
    throw error;
  }

  // Guests that will never ask (not set up, no route): told once, in the background, so that
  // start-up does not wait on it. Sources given by the caller (tests) are not libvirt's.
  const stopCheck = new AbortController();
  const checked =
    options.sources === undefined ? logSetupFindings(config, log, stopCheck.signal) : undefined;

  return {
    inventory,
    dns,
    bootReports: reports.store,
    get bound() {
      return metadata.bound;
    },
    get adminBound() {
      return admin.bound;
    },
    metrics,
    reload: async (next) => {
      const previous = current;
      const built = build(next);
      try {
        await listen(next);
      } catch (error) {
        built.userdata.close();
        throw error;
      }
      current = built;
      previous.userdata.close();
      return changesNeedingRestart(previous.config, next);
    },
    close: async () => {
      stopCheck.abort();
      await checked;
      await stopAll();
    },
  };
}

/** How many instances each source knows now (for /metrics). */
function countBySource(inventory: Inventory): Map<string, number> {
  const counts = new Map<string, number>();
  for (const instance of inventory.instances()) {
    counts.set(instance.source, (counts.get(instance.source) ?? 0) + 1);
  }
  return counts;
}
