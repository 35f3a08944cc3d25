/**
 * Instances from one libvirt connection, through virsh.
 *
 * The inventory's index is all the request path reads; this keeps it current:
 * - a full load at start-up (every domain's XML, pipelined through two virsh sessions), again
 *   every refresh_interval, and whenever the event streams come back after a gap;
 * - libvirt's domain and network events: the named domain or the networks are read again, and
 *   an undefined domain is forgotten (a stopped one loses its addresses) before anything is
 *   read;
 * - a quick look when an unknown client asks (leases, reservations, new or changed domains);
 * - a watch on the lease files under dnsmasq.base_dir, for a local libvirt.
 * Every change publishes the whole view at once (libvirt-view.ts). When libvirt cannot be
 * reached, what is known keeps being served (leases still expire), the fault is logged once,
 * health() says degraded, and a full load is retried with backoff until it works.
 */
import type { FSWatcher } from "node:fs";
import type { Logger } from "../../log/logger.js";
import type { InstanceSource, InventorySink, SourceHealth } from "../source.js";
import { isLocalUri } from "./connection-uri.js";
import { DomainTable } from "./domain-table.js";
import type { DomainInfo } from "./domain-xml.js";
import { startEventFeed, type EventKind } from "./event-feed.js";
import type { Backoff, EventStream } from "./event-stream.js";
import { eventAction, type LibvirtEvent } from "./events.js";
import { Faults } from "./faults.js";
import { watchLeaseFiles } from "./lease-files.js";
import { errorText, isAboutOneObject, LibvirtReader } from "./libvirt-reader.js";
import { buildView, type NetworkState } from "./libvirt-view.js";
import { NamedTimers } from "./named-timers.js";
import { NetworkLoader } from "./network-loader.js";
import { SerialTasks } from "./serial-tasks.js";
import { virshArg } from "./virsh-framing.js";
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

/**
 * Least time between two publications caused by events. Building the view is linear in the
 * domains (~20 ms for 10,000): a burst of events (a host shutting down its guests) must not
 * rebuild it for each one. The first change of a burst goes out at once.
 */
const PUBLISH_GAP_MS = 50;

/**
 * Retries (and event-stream restarts) while libvirt is away: 0.5 s doubling to 5 s. One failed
 * try costs a virsh start (tens of ms), so guests wait at most ~5 s after libvirt returns.
 */
const RETRY_BACKOFF: Backoff = { initialMs: 500, maxMs: 5000 };

/** The instances of one libvirt connection (see the module comment). */
export class LibvirtSource implements InstanceSource {
  readonly id: string;
  private readonly pool: VirshPool;
  private readonly reader: LibvirtReader;
  private readonly loader: NetworkLoader;
  private readonly table = new DomainTable();
  private readonly faults: Faults;
  private readonly log: Logger;
  private readonly bulk = new SerialTasks();
  private readonly timers = new NamedTimers();
  private readonly backoff: Backoff;
  private networks = new Map<string, NetworkState>();
  /** Bumped by network events: a network read begun before one is not applied. */
  private networkEpoch = 0;
  private networksDirty = false;
  private networkReload: Promise<void> | undefined;
  private readonly dirty = new Set<string>();
  private rereads: Promise<void> | undefined;
  private sink: InventorySink | undefined;
  private lastSuccess: number | undefined;
  private stopped = false;
  private streams: EventStream[] = [];
  private watcher: FSWatcher | undefined;
  private retryDelay: number;
  private publishQueued = false;
  private lastPublish = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: LibvirtSourceOptions) {
    this.id = `libvirt ${options.uri}`;
    this.log = options.log.child({ source: this.id });
    this.faults = new Faults(this.log);
    this.backoff = options.backoff ?? RETRY_BACKOFF;
    this.retryDelay = this.backoff.initialMs;
    const { virsh, uri, timeoutMs, networks, baseDir } = options;
    this.pool = new VirshPool({ virsh, uri, timeoutMs });
    this.reader = new LibvirtReader((command) => this.pool.run(command));
    this.loader = new NetworkLoader({
      uri,
      networks,
      baseDir,
      reader: this.reader,
      faults: this.faults,
      log: this.log,
    });
  }

  async start(sink: InventorySink): Promise<void> {
    this.sink = sink;
    if (this.options.watch) {
      this.startEvents();
      this.watchLeaseFiles();
      const { refreshIntervalMs: full, leaseRefreshIntervalMs: leases = 0 } = this.options;
      if (full > 0) this.timers.every("periodic", full, () => void this.fullLoad());
      if (leases > 0) this.timers.every("leases", leases, () => this.pollLeases());
    }
    await this.fullLoad();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.stop();
    this.watcher?.close();
    await Promise.all([...this.streams.map((s) => s.stop()), this.pool.close()]);
  }

  /**
   * An unknown client asked: look at leases, reservations and new or restarted domains. While
   * libvirt is unreachable this returns at once (and brings the next retry forward): requests
   * must not wait for a time-out.
   */
  async refresh(_reason: string): Promise<void> {
    if (this.stopped) return;
    if (this.faults.has("connection")) {
      if (this.timers.has("retry")) this.timers.set("retry", 0, () => void this.fullLoad());
      return;
    }
    await Promise.all([this.reloadNetworks(), this.reconcile()]);
  }

  health(): SourceHealth {
    const problem = this.faults.problem();
    return { ok: problem === undefined, problem, lastSuccess: this.lastSuccess };
  }

  // --- domains -------------------------------------------------------------------------------

  /** Reads every domain and network and replaces the view. */
  private fullLoad(): Promise<void> {
    return this.bulk.run("full", async () => {
      this.pool.warm();
      const ticket = this.table.begin();
      const epoch = this.networkEpoch;
      try {
        const [uuids, networks] = await Promise.all([
          this.reader.domainUuids(false),
          this.loader.read(this.networks),
        ]);
        const domains = await Promise.all(
          uuids.map((uuid) => this.readDomain(uuid, this.table.byUuid(uuid))),
        );
        this.table.replaceAll(
          domains.filter((d): d is DomainInfo => d !== undefined),
          ticket,
        );
        this.applyNetworks(networks, epoch);
        this.succeeded();
        this.publish();
        this.watchLeaseFiles();
      } catch (error) {
        this.failed(error);
      } finally {
        this.table.end(ticket);
      }
    });
  }

  /**
   * Compares the domain list with the table and reads only what is new, gone or has started
   * or stopped: two list commands plus a dumpxml per difference.
   */
  private reconcile(): Promise<void> {
    return this.bulk.run("reconcile", async () => {
      const ticket = this.table.begin();
      try {
        const [all, active] = await Promise.all([
          this.reader.domainUuids(false),
          this.reader.domainUuids(true),
        ]);
        const listed = new Set(all);
        const running = new Set(active);
        const stale = all.filter((uuid) => this.table.byUuid(uuid)?.active !== running.has(uuid));
        const gone = [...this.table.values()].filter((d) => !listed.has(d.uuid));
        const read = await Promise.all(
          stale.map(async (uuid) => {
            const known = this.table.byUuid(uuid);
            const info = await this.readDomain(uuid, known);
            return { name: info?.name ?? known?.name, info };
          }),
        );
        let changed = false;
        for (const { name, info } of read)
          if (name !== undefined) changed = this.table.applyRead(name, info, ticket) || changed;
        for (const domain of gone)
          changed = this.table.applyRead(domain.name, undefined, ticket) || changed;
        if (changed) this.publish();
      } catch (error) {
        this.failed(error);
      } finally {
        this.table.end(ticket);
      }
    });
  }

  /**
   * One domain's XML. A reply that is not usable XML, or another error about this one
   * domain, keeps what was known of it (`known`): one broken domain must not hide the rest.
   */
  private async readDomain(
    ref: string,
    known: DomainInfo | undefined,
  ): Promise<DomainInfo | undefined> {
    const key = `domain:${ref}`;
    try {
      const info = await this.reader.domain(ref);
      this.faults.clear(key);
      return info;
    } catch (error) {
      if (!isAboutOneObject(error)) throw error;
      this.faults.raise(key, `domain ${ref} on ${this.options.uri}: ${errorText(error)}`);
      return known;
    }
  }

  /** Reads a domain again by name (batched with others named meanwhile). */
  private reread(name: string): void {
    this.dirty.add(name);
    this.rereads ??= this.readDirty().finally(() => {
      this.rereads = undefined;
    });
  }

  private async readDirty(): Promise<void> {
    while (this.dirty.size > 0 && !this.stopped) {
      const names = [...this.dirty];
      this.dirty.clear();
      const ticket = this.table.begin();
      try {
        const results = await Promise.allSettled(names.map((name) => this.readByName(name)));
        let changed = false;
        let failure: unknown;
        results.forEach((result, i) => {
          if (result.status === "rejected") failure ??= result.reason;
          else if (result.value !== "unaddressable")
            changed = this.table.applyRead(names[i]!, result.value, ticket) || changed;
        });
        if (changed) this.publishSoon();
        if (failure !== undefined) this.failed(failure);
      } finally {
        this.table.end(ticket);
      }
    }
  }

  private async readByName(name: string): Promise<DomainInfo | undefined | "unaddressable"> {
    const ref = virshArg(name);
    if (ref !== undefined) return this.readDomain(ref, this.table.get(name));
    // A name virsh cannot be given on one line: find the domain by UUID instead.
    void this.reconcile();
    return "unaddressable";
  }

  // --- networks and leases -----------------------------------------------------------------

  /** Reads the networks again (and their leases), now and again while asked meanwhile. */
  private reloadNetworks(): Promise<void> {
    this.networksDirty = true;
    this.networkReload ??= (async () => {
      try {
        while (this.networksDirty && !this.stopped) {
          this.networksDirty = false;
          const epoch = this.networkEpoch;
          const networks = await this.loader.read(this.networks);
          if (this.applyNetworks(networks, epoch)) this.publish();
        }
      } catch (error) {
        this.failed(error);
      } finally {
        this.networkReload = undefined;
      }
    })();
    return this.networkReload;
  }

  /** The periodic lease re-read; while libvirt is away the retries cover it. */
  private pollLeases(): void {
    if (!this.faults.has("connection")) void this.reloadNetworks();
  }

  /** Applies a read of the networks unless a network event came since it began. */
  private applyNetworks(networks: Map<string, NetworkState>, epoch: number): boolean {
    if (epoch !== this.networkEpoch) {
      this.networksDirty = true;
      return false;
    }
    this.networks = networks;
    return true;
  }

  private watchLeaseFiles(): void {
    if (!this.options.watch || this.watcher !== undefined || !isLocalUri(this.options.uri)) return;
    const interesting = (file: string) => this.loader.leaseFiles(this.networks).includes(file);
    this.watcher = watchLeaseFiles(this.options.baseDir, interesting, () => {
      void this.reloadNetworks();
    });
    this.watcher?.on("close", () => {
      this.watcher = undefined;
    });
  }

  // --- events -------------------------------------------------------------------------------

  private startEvents(): void {
    this.streams = startEventFeed({
      virsh: this.options.virsh,
      uri: this.options.uri,
      backoff: this.backoff,
      onEvent: (event) =>
        event.object === "domain" ? this.onDomainEvent(event) : this.onNetworkEvent(event),
      onUp: (kind, resumed) => this.onStreamUp(kind, resumed),
      onDown: (kind, reason) => {
        if (this.stopped) return;
        const message = `libvirt ${kind} events from ${this.options.uri} stopped: ${reason}`;
        this.faults.raise(`events:${kind}`, message);
      },
    });
  }

  private onStreamUp(kind: EventKind, resumed: boolean): void {
    const key = `events:${kind}`;
    const lost = resumed || this.faults.has(key);
    this.faults.clear(key);
    // Events sent while no stream listened are lost: look at everything again. The first
    // time, only at what changed between the start-up load and the stream opening.
    if (lost) void this.fullLoad();
    else if (kind === "domain") void this.reconcile();
    else void this.reloadNetworks();
  }

  private onDomainEvent(event: LibvirtEvent): void {
    const action = eventAction(event);
    if (action === "ignore") return;
    this.log.debug({ event }, "libvirt event");
    this.table.touch(event.name);
    if (action === "drop" && this.table.drop(event.name)) this.publishSoon();
    if (action === "deactivate" && this.table.deactivate(event.name)) this.publishSoon();
    // Even after "Undefined": a running domain that was undefined lives on as a transient one.
    this.reread(event.name);
  }

  private onNetworkEvent(event: LibvirtEvent): void {
    const action = eventAction(event);
    if (!this.options.networks.includes(event.name) || action === "ignore") return;
    this.log.debug({ event }, "libvirt event");
    this.networkEpoch++;
    if (action === "drop" && this.networks.delete(event.name)) this.publish();
    else void this.reloadNetworks();
  }

  // --- publishing and faults ----------------------------------------------------------------

  /**
   * Publishes after the events in hand are applied (a microtask: before any other I/O, such
   * as a request, is handled), or PUBLISH_GAP_MS after the last publication.
   */
  private publishSoon(): void {
    if (this.publishQueued) return;
    this.publishQueued = true;
    const go = () => {
      this.publishQueued = false;
      this.publish();
    };
    const wait = this.lastPublish + PUBLISH_GAP_MS - Date.now();
    if (wait <= 0) queueMicrotask(go);
    else this.timers.set("publish", wait, go);
  }

  /** Publishes the view now (bulk reads: whoever waits for them looks right after). */
  private publish(): void {
    if (this.sink === undefined || this.stopped) return;
    const now = Date.now();
    this.lastPublish = now;
    const view = buildView({
      source: this.id,
      networks: this.networks,
      domains: this.table.values(),
      now,
    });
    const conflicts = new Set<string>();
    for (const { address, claimants } of view.conflicts) {
      conflicts.add(`conflict:${address}`);
      this.faults.raise(
        `conflict:${address}`,
        `${address} is claimed by ${claimants.join(" and ")}; serving none of them`,
        false,
      );
    }
    this.faults.clearAllBut("conflict:", conflicts);
    this.sink.publish(this.id, view.identities);
    // The index already refuses an expired lease; publishing again tells listeners (DNS) too.
    let next = Infinity;
    for (const { expiresAt } of view.identities)
      if (expiresAt !== undefined && expiresAt < next) next = expiresAt;
    if (this.options.watch && next !== Infinity)
      this.timers.set("expiry", next - now + 1, () => this.publish());
  }

  private succeeded(): void {
    this.faults.clear("connection");
    this.lastSuccess = Date.now();
    this.retryDelay = this.backoff.initialMs;
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    const message = `cannot read libvirt at ${this.options.uri}: ${errorText(error)}`;
    this.faults.raise("connection", message);
    if (!this.options.watch || this.timers.has("retry")) return;
    this.timers.set("retry", this.retryDelay, () => void this.fullLoad());
    this.retryDelay = Math.min(this.retryDelay * 2, this.backoff.maxMs);
  }
}
