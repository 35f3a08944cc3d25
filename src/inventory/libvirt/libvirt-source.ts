/**
 * Instances from one libvirt connection, through virsh.
 *
 * The inventory's index is all the request path reads; this keeps it current:
 * - a full load at start-up (every domain's XML, pipelined through two virsh sessions), again
 *   every refresh_interval, and whenever the event streams come back after a gap;
 * - libvirt's domain and network events: the named domain or the networks are read again, and
 *   an undefined domain is forgotten (a stopped one loses its addresses) before anything is
 *   read (domain-sync.ts, network-sync.ts);
 * - a quick look when an unknown client asks (leases, reservations, new or changed domains);
 * - lease re-reads: periodic, and on changes of the lease files of a local libvirt.
 * Every change publishes the whole view at once (view-publisher.ts). When libvirt cannot be
 * reached, what is known keeps being served (leases still expire), the fault is logged once,
 * health() says degraded, and a full load is retried with backoff (connection-retry.ts).
 */
import type { Logger } from "../../log/logger.js";
import type { InstanceSource, InventorySink, SourceHealth } from "../source.js";
import { ConnectionRetry, RETRY_BACKOFF } from "./connection-retry.js";
import { DomainSync } from "./domain-sync.js";
import { startEventFeed, type EventKind } from "./event-feed.js";
import type { Backoff, EventStream } from "./event-stream.js";
import type { LibvirtEvent } from "./events.js";
import { Faults } from "./faults.js";
import { LibvirtReader } from "./libvirt-reader.js";
import { NamedTimers } from "./named-timers.js";
import { NetworkLoader } from "./network-loader.js";
import { NetworkSync } from "./network-sync.js";
import { ViewPublisher } from "./view-publisher.js";
import { VirshPool } from "./virsh-pool.js";

/** One connection and what to serve from it. */
export interface LibvirtSourceOptions {
  readonly uri: string;
  readonly virsh: string;
  readonly timeoutMs: number;
  /** The libvirt networks whose guests are served (dnsmasq.net_name). */
  readonly networks: readonly string[];
  /** dnsmasq.base_dir: lease files, read only for a local URI. */
  readonly baseDir: string;
  /** Full reloads this often; 0 for none. */
  readonly refreshIntervalMs: number;
  /** Lease re-reads this often; 0 (or absent) for none. */
  readonly leaseRefreshIntervalMs?: number;
  /** Follow events, watch lease files, retry and reload; off for a one-shot look (mdserver list). */
  readonly watch: boolean;
  readonly log: Logger;
  /** Retry and event-stream restart delays. */
  readonly backoff?: Backoff;
}

/** The instances of one libvirt connection (see the module comment). */
export class LibvirtSource implements InstanceSource {
  readonly id: string;
  private readonly pool: VirshPool;
  private readonly faults: Faults;
  private readonly log: Logger;
  private readonly timers = new NamedTimers();
  private readonly backoff: Backoff;
  private readonly domains: DomainSync;
  private readonly networks: NetworkSync;
  private readonly publisher: ViewPublisher;
  private readonly connection: ConnectionRetry;
  private stopped = false;
  private streams: EventStream[] = [];

  constructor(private readonly options: LibvirtSourceOptions) {
    const { virsh, uri, timeoutMs, networks, baseDir, watch } = options;
    this.id = `libvirt ${uri}`;
    this.log = options.log.child({ source: this.id });
    const faults = (this.faults = new Faults(this.log));
    this.backoff = options.backoff ?? RETRY_BACKOFF;
    this.pool = new VirshPool({ virsh, uri, timeoutMs });
    const reader = new LibvirtReader((command) => this.pool.run(command));
    // What someone waits for: an unknown client (the networks), an event (its domain).
    const quickReader = new LibvirtReader((command) => this.pool.run(command, true));
    const stopped = () => this.stopped;
    const failed = (error: unknown) => this.connection.failed(error);
    this.connection = new ConnectionRetry({
      uri,
      faults,
      timers: this.timers,
      backoff: this.backoff,
      enabled: watch,
      retry: () => void this.fullLoad(),
      stopped,
    });
    this.publisher = new ViewPublisher({
      source: this.id,
      faults,
      timers: this.timers,
      watch,
      state: () => ({ networks: this.networks.networks(), domains: this.domains.domains() }),
    });
    this.domains = new DomainSync({
      uri,
      reader,
      quickReader,
      faults,
      changed: () => this.publisher.publish(),
      changedSoon: () => this.publisher.publishSoon(),
      failed,
      stopped,
    });
    this.networks = new NetworkSync({
      uri,
      networks,
      baseDir,
      watch,
      loader: new NetworkLoader({
        uri,
        networks,
        baseDir,
        reader: quickReader,
        faults,
        log: this.log,
      }),
      timers: this.timers,
      changed: () => this.publisher.publish(),
      changedSoon: () => this.publisher.publishSoon(),
      flush: () => this.publisher.flush(),
      failed,
      stopped,
    });
  }

  async start(sink: InventorySink): Promise<void> {
    this.publisher.attach(sink);
    if (this.options.watch) {
      this.startEvents();
      this.networks.watchLeaseFiles();
      const { refreshIntervalMs: full, leaseRefreshIntervalMs: leases = 0 } = this.options;
      if (full > 0) this.timers.every("periodic", full, () => void this.fullLoad());
      if (leases > 0) this.timers.every("leases", leases, () => this.pollLeases());
    }
    await this.fullLoad();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.publisher.attach(undefined);
    this.timers.stop();
    this.networks.stop();
    await Promise.all([...this.streams.map((s) => s.stop()), this.pool.close()]);
  }

  /**
   * An unknown client asked: look at leases, reservations and new or restarted domains. While
   * libvirt is unreachable this returns at once (and brings the next retry forward): requests
   * must not wait for a time-out. While a full load runs (seconds on a large host) it waits
   * only for the networks (a new lease, a reservation); the reconcile follows the load.
   */
  async refresh(_reason: string): Promise<void> {
    if (this.stopped) return;
    if (this.connection.down) return this.connection.hurry();
    const loading = this.domains.fullLoadRunning;
    const reconcile = this.domains.reconcile();
    await Promise.all([this.networks.reload(true), loading ? undefined : reconcile]);
  }

  health(): SourceHealth {
    const problem = this.faults.problem();
    return { ok: problem === undefined, problem, lastSuccess: this.connection.lastSuccess };
  }

  /** Reads every domain and network and replaces the view. */
  private fullLoad(): Promise<void> {
    return this.domains.fullLoad(async () => {
      this.pool.warm();
      const [domains, networks] = await Promise.allSettled([
        this.domains.loadAll(),
        this.networks.read(),
      ]);
      if (domains.status === "rejected") return this.connection.failed(domains.reason);
      if (networks.status === "rejected") return this.connection.failed(networks.reason);
      this.networks.apply(networks.value);
      this.connection.succeeded();
      this.publisher.publish();
      this.networks.watchLeaseFiles();
    });
  }

  /** The periodic lease re-read; while libvirt is away the retries cover it. */
  private pollLeases(): void {
    if (!this.connection.down) void this.networks.reload();
  }

  private startEvents(): void {
    this.streams = startEventFeed({
      virsh: this.options.virsh,
      uri: this.options.uri,
      backoff: this.backoff,
      onEvent: (event) => this.onEvent(event),
      onUp: (kind, resumed) => this.onStreamUp(kind, resumed),
      onDown: (kind, reason) => {
        if (this.stopped) return;
        const message = `libvirt ${kind} events from ${this.options.uri} stopped: ${reason}`;
        this.faults.raise(`events:${kind}`, message);
      },
    });
  }

  private onEvent(event: LibvirtEvent): void {
    const sync = event.object === "domain" ? this.domains : this.networks;
    if (sync.onEvent(event)) this.log.debug({ event }, "libvirt event");
  }

  private onStreamUp(kind: EventKind, resumed: boolean): void {
    const key = `events:${kind}`;
    const lost = resumed || this.faults.has(key);
    this.faults.clear(key);
    // Events sent while no stream listened are lost: look at everything again. The first
    // time, only at what changed between the start-up load and the stream opening.
    if (lost) void this.fullLoad();
    else if (kind === "domain") void this.domains.reconcile();
    else void this.networks.reload();
  }
}
