/**
 * Instances from one libvirt connection, through virsh.
 *
 * The inventory's index is all the request path reads; this keeps it current:
 * - a full load at start-up (every domain's XML, pipelined through two virsh sessions), again
 *   every refresh_interval, and whenever the event streams come back after a gap;
 * - libvirt's domain and network events: the named domain or the networks are read again, and
 *   an undefined domain is forgotten (a stopped one loses its leases) before anything is read;
 * - a quick look when an unknown client asks (leases, reservations, new or changed domains);
 * - a watch on the lease files under dnsmasq.base_dir, for a local libvirt.
 * Every change publishes the whole view at once (libvirt-view.ts). When libvirt cannot be
 * reached, what is known keeps being served (leases still expire), the fault is logged once,
 * health() says degraded, and a full load is retried with backoff until it works.
 */
import type { FSWatcher } from "node:fs";
import type { Logger } from "../../log/logger.js";
import type { InstanceSource, InventorySink, SourceHealth } from "../source.js";
import { isLocalUri, isTestDriver } from "./connection-uri.js";
import { DomainTable } from "./domain-table.js";
import type { DomainInfo } from "./domain-xml.js";
import { eventAction, parseEventLine } from "./events.js";
import { EventStream, type Backoff } from "./event-stream.js";
import { Faults } from "./faults.js";
import { leaseFileNames, readLeaseFiles, watchLeaseFiles } from "./lease-files.js";
import type { Lease } from "./leases.js";
import { LibvirtCommandError, LibvirtReader, LibvirtUnreachableError } from "./libvirt-reader.js";
import { buildView, type NetworkState } from "./libvirt-view.js";
import { SerialTasks } from "./serial-tasks.js";
import { virshArg } from "./virsh-framing.js";
import { LibvirtXmlError } from "./xml-document.js";
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

/** Longest a timer can wait in Node. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
  private readonly table = new DomainTable();
  private readonly faults: Faults;
  private readonly log: Logger;
  private readonly bulk = new SerialTasks();
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
  private readonly streams: EventStream[] = [];
  private watcher: FSWatcher | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private retryDelay: number;
  private publishQueued = false;
  private lastPublish = Number.NEGATIVE_INFINITY;
  private leasesUnsupportedLogged = false;

  constructor(private readonly options: LibvirtSourceOptions) {
    this.id = `libvirt ${options.uri}`;
    this.log = options.log.child({ source: this.id });
    this.faults = new Faults(this.log);
    this.pool = new VirshPool({
      virsh: options.virsh,
      uri: options.uri,
      timeoutMs: options.timeoutMs,
    });
    this.reader = new LibvirtReader((command) => this.pool.run(command));
    this.retryDelay = this.retryBackoff.initialMs;
  }

  async start(sink: InventorySink): Promise<void> {
    this.sink = sink;
    if (this.options.watch) {
      this.startEvents();
      this.watchLeaseFiles();
      if (this.options.refreshIntervalMs > 0)
        this.every("periodic", this.options.refreshIntervalMs);
    }
    await this.fullLoad();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
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
      this.retrySoon();
      return;
    }
    await Promise.all([this.reloadNetworks(), this.reconcile()]);
  }

  health(): SourceHealth {
    const problem = this.faults.problem();
    return { ok: problem === undefined, problem, lastSuccess: this.lastSuccess };
  }

  private get retryBackoff(): Backoff {
    return this.options.backoff ?? RETRY_BACKOFF;
  }

  // --- bulk reads --------------------------------------------------------------------------

  /** Reads every domain and network and replaces the view. */
  private fullLoad(): Promise<void> {
    return this.bulk.run("full", async () => {
      this.pool.warm();
      const ticket = this.table.begin();
      const epoch = this.networkEpoch;
      try {
        const [uuids, networks] = await Promise.all([
          this.reader.domainUuids(false),
          this.readNetworks(),
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

  // --- networks and leases -----------------------------------------------------------------

  /** Reads the networks again (and their leases), now and again while asked meanwhile. */
  private reloadNetworks(): Promise<void> {
    this.networksDirty = true;
    this.networkReload ??= (async () => {
      try {
        while (this.networksDirty && !this.stopped) {
          this.networksDirty = false;
          const epoch = this.networkEpoch;
          const networks = await this.readNetworks();
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

  /** Applies a read of the networks unless a network event came since it began. */
  private applyNetworks(networks: Map<string, NetworkState>, epoch: number): boolean {
    if (epoch !== this.networkEpoch) {
      this.networksDirty = true;
      return false;
    }
    this.networks = networks;
    return true;
  }

  /** Every configured network that exists, with its reservations and current leases. */
  private async readNetworks(): Promise<Map<string, NetworkState>> {
    const result = new Map<string, NetworkState>();
    const names = this.options.networks;
    await Promise.all(
      names.map(async (name) => {
        const state = await this.readNetwork(name);
        if (state !== undefined) result.set(name, state);
      }),
    );
    if (result.size === 0 && names.length > 0) {
      this.faults.raise(
        "networks",
        `none of the networks ${names.join(", ")} exists on ${this.options.uri}: no guest can be identified`,
      );
    } else {
      this.faults.clear("networks");
    }
    return result;
  }

  private async readNetwork(name: string): Promise<NetworkState | undefined> {
    const ref = virshArg(name);
    const previous = this.networks.get(name);
    if (ref === undefined) return undefined;
    const [info, leases] = await Promise.all([
      this.reader.network(ref).catch((error: unknown) => {
        if (!isAboutOneObject(error)) throw error;
        this.faults.raise(
          `network:${name}`,
          `network ${name} on ${this.options.uri}: ${errorText(error)}`,
        );
        return previous?.info ?? null;
      }),
      this.readLeases(ref, name, previous?.leases),
    ]);
    if (info === undefined) {
      // A network missing on one of several hosts is normal; "networks" covers missing everywhere.
      this.faults.raise(
        `network:${name}`,
        `network ${name} not found on ${this.options.uri}`,
        false,
      );
      return undefined;
    }
    if (info === null) return previous;
    this.faults.clear(`network:${name}`);
    const fromFiles = await this.readLeaseFiles(name, info.bridge);
    return { info, leases: [...leases, ...fromFiles] };
  }

  /** libvirt's leases for a network; on an error, the ones known before (they still expire). */
  private async readLeases(
    ref: string,
    name: string,
    previous: readonly Lease[] = [],
  ): Promise<readonly Lease[]> {
    const key = `leases:${name}`;
    try {
      const leases = await this.reader.leases(ref);
      this.faults.clear(key);
      if (leases === undefined && !this.leasesUnsupportedLogged) {
        this.leasesUnsupportedLogged = true;
        this.log.debug(
          { network: name },
          "no DHCP leases from this driver; using reservations and lease files",
        );
      }
      return leases ?? [];
    } catch (error) {
      if (!isAboutOneObject(error)) throw error;
      this.faults.raise(key, `leases of ${name} on ${this.options.uri}: ${errorText(error)}`);
      return previous;
    }
  }

  private async readLeaseFiles(network: string, bridge: string | undefined): Promise<Lease[]> {
    if (!isLocalUri(this.options.uri)) return [];
    const { leases, problems } = await readLeaseFiles(this.options.baseDir, network, bridge);
    const faulty = new Set<string>();
    for (const problem of problems) {
      const key = `lease-file:${problem.file}`;
      faulty.add(key);
      this.faults.raise(key, `lease file ${problem.file}: ${problem.message}`, false);
    }
    for (const name of leaseFileNames(network, bridge)) {
      const key = `lease-file:${this.options.baseDir}/${name}`;
      if (!faulty.has(key)) this.faults.clear(key);
    }
    return leases;
  }

  private watchLeaseFiles(): void {
    if (!this.options.watch || this.watcher !== undefined || !isLocalUri(this.options.uri)) return;
    const interesting = (file: string) =>
      this.options.networks.some((net) =>
        leaseFileNames(net, this.networks.get(net)?.info.bridge).includes(file),
      );
    this.watcher = watchLeaseFiles(this.options.baseDir, interesting, () => {
      void this.reloadNetworks();
    });
    this.watcher?.on("close", () => {
      this.watcher = undefined;
    });
  }

  // --- events -------------------------------------------------------------------------------

  private startEvents(): void {
    if (isTestDriver(this.options.uri)) return;
    const kinds = [
      {
        kind: "domain",
        command: "event --loop --all",
        onLine: (l: string) => this.onDomainEvent(l),
      },
      {
        kind: "network",
        command: "net-event --loop --event lifecycle",
        onLine: (l: string) => this.onNetworkEvent(l),
      },
    ];
    for (const { kind, command, onLine } of kinds) {
      const key = `events:${kind}`;
      let wasUp = false;
      const stream = new EventStream({
        virsh: this.options.virsh,
        uri: this.options.uri,
        command,
        backoff: this.retryBackoff,
        onLine,
        onUp: () => {
          const resumed = wasUp || this.faults.has(key);
          wasUp = true;
          this.faults.clear(key);
          // Events sent while no stream listened are lost: look at everything again. The
          // first time, only what changed between the start-up load and the stream opening.
          if (resumed) void this.fullLoad();
          else if (kind === "domain") void this.reconcile();
          else void this.reloadNetworks();
        },
        onDown: (reason) => {
          if (!this.stopped)
            this.faults.raise(
              key,
              `libvirt ${kind} events from ${this.options.uri} stopped: ${reason}`,
            );
        },
      });
      this.streams.push(stream);
      stream.start();
    }
  }

  private onDomainEvent(line: string): void {
    const event = parseEventLine(line);
    if (event === undefined || event.object !== "domain") return;
    const action = eventAction(event);
    if (action === "ignore") return;
    this.log.debug({ event: line }, "libvirt event");
    this.table.touch(event.name);
    if (action === "drop" && this.table.drop(event.name)) this.publishSoon();
    if (action === "deactivate" && this.table.deactivate(event.name)) this.publishSoon();
    // Even after "Undefined": a running domain that was undefined lives on as a transient one.
    this.reread(event.name);
  }

  private onNetworkEvent(line: string): void {
    const event = parseEventLine(line);
    if (event === undefined || event.object !== "network") return;
    if (!this.options.networks.includes(event.name) || eventAction(event) === "ignore") return;
    this.log.debug({ event: line }, "libvirt event");
    this.networkEpoch++;
    if (eventAction(event) === "drop" && this.networks.delete(event.name)) this.publish();
    else void this.reloadNetworks();
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

  // --- publishing, faults and timers ---------------------------------------------------------

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
    else this.after("publish", wait, go);
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
      this.after("expiry", next - now + 1, () => this.publish());
  }

  private succeeded(): void {
    this.faults.clear("connection");
    this.lastSuccess = Date.now();
    this.retryDelay = this.retryBackoff.initialMs;
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    this.faults.raise(
      "connection",
      `cannot read libvirt at ${this.options.uri}: ${errorText(error)}`,
    );
    if (!this.options.watch || this.timers.has("retry")) return;
    this.after("retry", this.retryDelay, () => void this.fullLoad());
    this.retryDelay = Math.min(this.retryDelay * 2, this.retryBackoff.maxMs);
  }

  /** Brings a pending retry forward (an unknown client is waiting for libvirt to return). */
  private retrySoon(): void {
    if (!this.timers.has("retry")) return;
    this.after("retry", 0, () => void this.fullLoad());
  }

  /** (Re)sets the one-shot timer `name`. */
  private after(name: string, ms: number, action: () => void): void {
    clearTimeout(this.timers.get(name));
    const timer = setTimeout(
      () => {
        this.timers.delete(name);
        if (!this.stopped) action();
      },
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
    timer.unref();
    this.timers.set(name, timer);
  }

  private every(name: string, ms: number): void {
    this.after(name, ms, () => {
      void this.fullLoad();
      this.every(name, ms);
    });
  }
}

/** True for an error about one domain or network (bad XML, an error reply), not the connection. */
function isAboutOneObject(error: unknown): boolean {
  if (error instanceof LibvirtUnreachableError) return false;
  return error instanceof LibvirtCommandError || error instanceof LibvirtXmlError;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
