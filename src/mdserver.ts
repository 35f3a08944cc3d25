/**
 * Assembles a running mdserver from a Config: inventory and its sources, user-data, the
 * frontends, and HTTP listeners on every configured address. Used by `mdserver serve` and by
 * the tests, which start it on loopback.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "./config/config.js";
import { createDnsManager } from "./dns/create-dns.js";
import type { DnsManager } from "./dns/dns-manager.js";
import { createDispatcher } from "./frontends/dispatch.js";
import { createEc2Frontend } from "./frontends/ec2/ec2-frontend.js";
import { createGuestDocuments } from "./frontends/guest-documents.js";
import { createNoCloudFrontend } from "./frontends/nocloud/nocloud-frontend.js";
import { createOpenStackFrontend } from "./frontends/openstack/openstack-frontend.js";
import { createServiceFrontend } from "./frontends/service/service-frontend.js";
import { createGuard, createHttpServer, listen, type Timeouts } from "./http/http-server.js";
import { createSources } from "./inventory/create-sources.js";
import { fallbackIdentities } from "./inventory/fallback-identity.js";
import { Inventory } from "./inventory/inventory.js";
import type { InstanceSource } from "./inventory/source.js";
import type { Logger } from "./log/logger.js";
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
  // The inventory tells only of changes; an empty start is none, yet what an earlier run
  // left in DNS must still be brought in line: the first sync is always made.
  dns?.listener(inventory.instances());

  const userdata = new UserdataService(config);
  const documents = createGuestDocuments(config, userdata);
  const fallback = config.mdserver.fallback_identity
    ? fallbackIdentities(config.mdserver.hostname_prefix)
    : undefined;
  const ec2 = createEc2Frontend(config, documents);
  const handler = createDispatcher(
    // A known address is a map read; only an unknown one waits for a refresh of the sources.
    (client) =>
      inventory.lookup(client) ??
      inventory.resolve(client).then((found) => found ?? fallback?.(client)),
    // The EC2 frontend takes every path the others do not: it comes last.
    [
      createServiceFrontend(config, ec2.checkToken),
      createOpenStackFrontend(config, documents),
      createNoCloudFrontend(config, documents),
      ec2,
    ],
  );

  const port = options.port ?? config.mdserver.port;
  // One set of limits over every listen address.
  const guard = createGuard({
    connections: config.mdserver.max_connections,
    clientConnections: config.mdserver.max_client_connections,
    clientRate: config.mdserver.client_rate,
    clientBurst: config.mdserver.client_burst,
  });
  const servers: Server[] = [];
  const bound: AddressInfo[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const bind = async (address: string, reported: boolean): Promise<void> => {
    const server = createHttpServer(handler, log, options.timeouts, guard);
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

  try {
    for (const address of config.mdserver.listen_address) await bind(address, false);
  } catch (error) {
    await closeAll(servers);
    await inventory.stop();
    await dns?.stop();
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
    bound,
    close: async () => {
      closed = true;
      stopCheck.abort();
      await checked;
      for (const timer of timers) clearTimeout(timer);
      await closeAll(servers);
      await inventory.stop();
      await dns?.stop();
      userdata.close();
    },
  };
}

/** How long requests in flight may take to be answered when the server stops. */
const DRAIN_MS = 3000;

/** Stops accepting, lets requests in flight be answered (for a bounded time), then closes. */
async function closeAll(servers: readonly Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          // Keep-alive connections go as soon as they fall idle, busy ones after DRAIN_MS.
          const idle = setInterval(() => server.closeIdleConnections(), 50);
          const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
          server.close(() => {
            clearInterval(idle);
            clearTimeout(force);
            resolve();
          });
        }),
    ),
  );
}
