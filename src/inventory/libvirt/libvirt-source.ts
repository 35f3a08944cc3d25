/**
 * Instances from one libvirt connection, through virsh: one reconcile loop.
 *
 * The shape is the informer/controller pattern of Kubernetes' client-go (which Hegel's backend
 * relies on): nothing but the loop (reconciler.ts) reads libvirt or changes what this source
 * knows. Everything else only marks what is dirty and wakes it:
 * - everything: at start-up, every refresh_interval, when an event stream comes back after a
 *   gap (events were lost), and after a failure;
 * - one domain, by name: its events (defined, undefined, started, stopped, devices or
 *   <metadata> changed);
 * - the networks and their leases: network events, every lease_refresh_interval and, for a
 *   local libvirt, a change of a lease file under dnsmasq.base_dir;
 * - an unknown client: the networks (a new lease), the running domains (one started
 *   meanwhile) and the domains owning the asking addresses; it waits for that one pass.
 *
 * A pass reads what is marked: the networks, the list of running domains (stopped ones are
 * never served, so never read), the domains events named, then up to 256 domains of a load,
 * those someone waits for first, all sent to virsh as one batch (virsh-session.ts: its
 * readline reads a byte per system call, so commands are few and short: `dumpxml NAME`, not
 * one with markers per domain). It applies each read, builds the whole view (libvirt-view.ts),
 * publishes it if it differs, and sleeps until the next mark. Events and asking clients wait
 * behind one batch of a load at most. A read of a domain an event named meanwhile is not
 * applied (the next pass reads it again): with a single writer a stale read never overwrites
 * a newer one, so no stamps, tickets or sequence numbers are needed.
 *
 * During the first load on a real libvirtd, an asking guest is answered as soon as its own
 * domain is read: its address gives a MAC (lease or reservation), libvirt's network ports
 * (net-port-list, net-port-dumpxml) the domain owning that MAC, which is read first. Only an
 * address all of whose possible owners are read is served then, so no guest can get another's
 * address. (The test driver has no ports: there the first answer waits for the load.)
 *
 * Faults cannot pile up. Every command goes through one interactive virsh (virsh-session.ts),
 * pipelined. A pass that fails (libvirt stopped, hung past [libvirt] timeout, virsh gone) logs
 * the fault once and marks the connection down (health() degraded): that virsh is killed and
 * everything sent to it fails at once, what was queued is dropped, and the loop sleeps one
 * backoff step (0.5 s doubling to 5 s) before a full load. So while libvirt is away at most one
 * virsh per session runs (and one per event stream), nothing waits behind a dead one, and once
 * it is back the view is current within one backoff step and one full load. An unknown client
 * asking meanwhile is answered at once and brings the next try forward, once per step. A fault
 * about one domain, network or lease file is logged once and what was known of it kept; a
 * failed publication is logged and tried again. What is known is served throughout, and
 * leases still expire.
 */
import type { Logger } from "../../log/logger.js";
import type { InstanceSource, InventorySink, SourceHealth } from "../source.js";
import { startEventFeed, type Backoff, type EventKind } from "./event-stream.js";
import { eventMatters, type LibvirtEvent } from "./events.js";
import { watch, type FSWatcher } from "node:fs";
import { isLocalUri } from "./connection-uri.js";
import { Faults } from "./faults.js";
import { Reconciler, type PassObserver } from "./reconciler.js";
import { VirshSession } from "./virsh-session.js";

/** Retries (and event-stream restarts) while libvirt is away: 0.5 s doubling to 5 s. */
export const RETRY_BACKOFF: Backoff = { initialMs: 500, maxMs: 5000 };

/**
 * How long lease-file changes are gathered into one read: libvirt's helper rewrites a file by
 * rename (two or three changes), and a host renewing many leases changes it again and again.
 */
const LEASE_FILE_SETTLE_MS = 50;

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
  /** Domains read per pass of a load (reconciler.ts). */
  readonly batch?: number;
  /** Told how long each pass of the loop took and whether it failed (for /metrics). */
  readonly observe?: PassObserver | undefined;
}

/** The instances of one libvirt connection (see the module comment). */
export class LibvirtSource implements InstanceSource {
  readonly id: string;
  private readonly log: Logger;
  private readonly faults: Faults;
  private readonly session: VirshSession;
  private readonly loop: Reconciler;
  private readonly timers: Array<NodeJS.Timeout | undefined> = [];
  private watcher: FSWatcher | undefined;
  private settling: NodeJS.Timeout | undefined;
  private stopEvents: (() => Promise<void>) | undefined;
  private stopped = false;

  constructor(private readonly options: LibvirtSourceOptions) {
    const { uri, virsh, timeoutMs, networks, baseDir, watch } = options;
    this.id = `libvirt ${uri}`;
    this.log = options.log.child({ source: this.id });
    this.faults = new Faults(this.log);
    const session = (this.session = new VirshSession({ virsh, uri, timeoutMs }));
    this.loop = new Reconciler({
      id: this.id,
      uri,
      networks,
      baseDir,
      session,
      faults: this.faults,
      backoff: this.backoff,
      watch,
      batch: options.batch,
      observe: options.observe,
    });
  }

  async start(sink: InventorySink): Promise<void> {
    if (this.options.watch) {
      this.stopEvents = startEventFeed({
        virsh: this.options.virsh,
        uri: this.options.uri,
        backoff: this.backoff,
        onEvent: (event) => this.onEvent(event),
        onUp: (kind, resumed) => this.onStreamUp(kind, resumed),
        onDown: (kind, reason) => {
          const message = `libvirt ${kind} events from ${this.options.uri} stopped: ${reason}`;
          if (!this.stopped) this.faults.raise(`events:${kind}`, message);
        },
      });
      const { refreshIntervalMs: full, leaseRefreshIntervalMs: leases = 0 } = this.options;
      if (full > 0) this.every(full, () => this.loop.mark("all"));
      if (leases > 0) this.every(leases, () => this.loop.mark("networks"));
      this.watchLeaseFiles();
    }
    await this.loop.start(sink);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [...this.timers, this.settling]) clearTimeout(timer);
    this.watcher?.close();
    await Promise.all([this.loop.stop(), this.stopEvents?.()]);
    await this.session.close();
  }

  /** Unknown clients asked (from `addresses`): see Reconciler.look. */
  refresh(addresses: readonly string[] = []): Promise<void> {
    return this.loop.look(addresses);
  }

  health(): SourceHealth {
    const problem = this.faults.problem();
    return { ok: problem === undefined, problem };
  }

  private get backoff(): Backoff {
    return this.options.backoff ?? RETRY_BACKOFF;
  }

  private onEvent(event: LibvirtEvent): void {
    if (!eventMatters(event)) return;
    if (event.object === "domain") this.loop.mark(`domain ${event.name}`);
    else if (this.options.networks.includes(event.name)) this.loop.mark("networks");
    else return;
    this.log.debug({ event }, "libvirt event");
  }

  private onStreamUp(kind: EventKind, resumed: boolean): void {
    const key = `events:${kind}`;
    const lost = resumed || this.faults.has(key);
    this.faults.clear(key);
    // Events sent while no stream listened are lost: look at everything again, now (libvirt
    // is back). The first time, only at what changed between the start-up load and the stream.
    if (lost) this.loop.mark("all", true);
    else if (kind === "domain") this.loop.mark("list");
    else this.loop.mark("networks");
  }

  /**
   * Reads the networks when a lease file under base_dir changes (a local libvirt; the directory
   * is watched, as libvirt's helper replaces the status file by rename), once changes settle. A
   * watch that fails is reported (not degrading: the lease re-reads still find changes) and
   * tried again with every lease re-read.
   */
  private watchLeaseFiles(): void {
    const { uri, baseDir, networks } = this.options;
    if (this.watcher !== undefined || this.stopped || !isLocalUri(uri)) return;
    const failed = (error: unknown) => {
      this.watcher?.close();
      this.watcher = undefined;
      const message = `cannot watch the lease files in ${baseDir}: ${(error as Error).message}`;
      this.faults.raise("lease-watch", message, false);
    };
    try {
      this.watcher = watch(baseDir, { persistent: false }, (_event, file) => {
        const name = file?.toString() ?? "";
        if (!name.endsWith(".status") && !networks.some((n) => name === `${n}.leases`)) return;
        this.settling ??= setTimeout(() => {
          this.settling = undefined;
          this.loop.mark("networks");
        }, LEASE_FILE_SETTLE_MS);
      });
      this.watcher.on("error", failed);
      this.faults.clear("lease-watch");
    } catch (error) {
      failed(error);
    }
  }

  private every(ms: number, action: () => void): void {
    const timer = setInterval(
      () => {
        action();
        this.watchLeaseFiles();
      },
      Math.min(ms, 2 ** 31 - 1),
    );
    timer.unref();
    this.timers.push(timer);
  }
}
