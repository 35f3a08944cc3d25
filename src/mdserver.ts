/**
 * Assembles a running mdserver from a Config: inventory and its sources, user-data, the
 * frontends, and HTTP listeners on every configured address. Used by `mdserver serve` and by
 * the tests, which start it on loopback.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BootReportSource } from "./boot-reports/boot-report.js";
import { startBootReports } from "./boot-reports/boot-reports.js";
import type { Config } from "./config/config.js";
import { createDnsManager } from "./dns/create-dns.js";
import type { DnsManager } from "./dns/dns-manager.js";
import { createDispatcher } from "./frontends/dispatch.js";
import { createEc2Frontend } from "./frontends/ec2/ec2-frontend.js";
import { createGuestDocuments } from "./frontends/guest-documents.js";
import { createNoCloudFrontend } from "./frontends/nocloud/nocloud-frontend.js";
import { createOpenStackFrontend } from "./frontends/openstack/openstack-frontend.js";
import { createServiceFrontend } from "./frontends/service/service-frontend.js";
import { createHttpServer, listen, type Timeouts } from "./http/http-server.js";
import { createSources } from "./inventory/create-sources.js";
import { fallbackIdentities } from "./inventory/fallback-identity.js";
import { Inventory } from "./inventory/inventory.js";
import type { InstanceSource } from "./inventory/source.js";
import type { Logger } from "./log/logger.js";
import { manageAddresses } from "./metadata-address/address-manager.js";
import { logSetupFindings } from "./setup/log-setup-findings.js";
import { UserdataService } from "./userdata/userdata-service.js";

export interface StartOptions {
  /** Overrides mdserver.port (tests pass 0 for any free port). */
  readonly port?: number;
  /** Overrides the sources the config names. */
  readonly sources?: readonly InstanceSource[];
  /** Overrides the HTTP time-outs (tests use short ones). */
  readonly timeouts?: Timeouts;
}

export interface RunningMdserver {
  readonly inventory: Inventory;
  /** Guest names in DNS, when dnsmasq.manage_addnhosts is on. */
  readonly dns: DnsManager | undefined;
  /** What guests reported when cloud-init finished (phone_home). */
  readonly bootReports: BootReportSource;
  /** The addresses actually bound so far (ports resolved). */
  readonly bound: readonly AddressInfo[];
  close(): Promise<void>;
}

/** How often an address that does not exist yet (EADDRNOTAVAIL) is tried again. */
const RETRY_BIND_MS = 2000;

export async function startMdserver(
  config: Config,
  log: Logger,
  options: StartOptions = {},
): Promise<RunningMdserver> {
  const sources = options.sources ?? createSources(config, log);
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
  await inventory.start();

  const port = options.port ?? config.mdserver.port;
  const bound: AddressInfo[] = [];
  const reports = await startBootReports(config, log, {
    port: () => bound[0]?.port ?? port,
    prune: options.sources === undefined,
  });
  inventory.onChange(() => reports.inventoryChanged());

  const userdata = new UserdataService(config);
  const documents = createGuestDocuments(config, userdata, reports.vendorData);
  const fallback = config.mdserver.fallback_identity
    ? fallbackIdentities(config.mdserver.hostname_prefix)
    : undefined;
  const handler = createDispatcher(
    // A known address is a map read; only an unknown one waits for a refresh of the sources.
    (client) =>
      inventory.lookup(client) ??
      inventory.resolve(client).then((found) => found ?? fallback?.(client)),
    // The EC2 frontend takes every path the others do not: it comes last.
    [
      ...(reports.frontend ? [reports.frontend] : []),
      createServiceFrontend(config),
      createOpenStackFrontend(config, documents),
      createNoCloudFrontend(config, documents),
      createEc2Frontend(config, userdata),
    ],
  );

  const servers: Server[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const bind = async (address: string, reported: boolean): Promise<void> => {
    const server = createHttpServer(handler, log, options.timeouts);
    try {
      const info = await listen(server, address, port);
      // A retry that finished after close() must not leave a socket open.
      if (closed) return void server.close();
      bound.push(info);
      servers.push(server);
      log.info({ address, port: bound.at(-1)?.port }, "listening");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The metadata address often appears only when libvirt's network comes up: wait for it.
      if (code !== "EADDRNOTAVAIL" || closed) throw error;
      if (!reported)
        log.warn({ address, port }, "address not present yet; will keep trying to listen");
      const timer = setTimeout(() => {
        timers.delete(timer);
        bind(address, true).catch((e: unknown) =>
          log.error({ address, port, err: e }, "cannot listen"),
        );
      }, RETRY_BIND_MS);
      timers.add(timer);
    }
  };

  // The metadata address on the bridges first, so that listening on it works at once.
  const stopManaging = config.mdserver.manage_address
    ? await manageAddresses(config, log)
    : undefined;
  try {
    for (const address of config.mdserver.listen_address) await bind(address, false);
  } catch (error) {
    await stopManaging?.();
    await closeAll(servers);
    await inventory.stop();
    await dns?.stop();
    await reports.close();
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
    bound,
    close: async () => {
      closed = true;
      stopCheck.abort();
      await checked;
      for (const timer of timers) clearTimeout(timer);
      await stopManaging?.();
      await closeAll(servers);
      await inventory.stop();
      await dns?.stop();
      await reports.close();
      userdata.close();
    },
  };
}

async function closeAll(servers: readonly Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
}
