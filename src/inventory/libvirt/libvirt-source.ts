/**
 * Instances from one libvirt connection, through virsh: one reconcile loop, the
 * informer/controller pattern of Kubernetes' client-go (which Hegel's backend relies on). Only
 * the loop (Reconciler, reconciler.ts) reads libvirt or changes what this source knows; the rest
 * of LibvirtSource, below, marks what is dirty and wakes it:
 * - everything: at start-up, every refresh_interval, after a failure, and when an event stream
 *   comes back after a gap (events were lost);
 * - one domain, by name: its events (defined, undefined, started, stopped, devices, metadata);
 * - the networks and their leases: network events, every lease_refresh_interval and, for a
 *   local libvirt, a change of a lease file under dnsmasq.base_dir;
 * - an unknown client: the networks (a new lease), the running domains (one started
 *   meanwhile) and the domains owning the asking addresses; it waits for that one pass.
 *
 * A pass reads what is marked (libvirt-reads.ts): the networks, the list of running domains
 * (stopped ones are never served, so never read), the domains events named, then up to 256
 * domains of a load, those someone waits for first. It applies each read, builds the whole view
 * (libvirt-view.ts), publishes it if it differs, and sleeps until the next mark or the end of a
 * lease. So events and asking clients wait behind one batch of a load at most. A read of a
 * domain an event named meanwhile is not applied (the next pass reads it again): with a single
 * writer a stale read never overwrites a newer one, so no stamps.
 *
 * During the first load on a real libvirtd, an asking guest is answered as soon as its own
 * domain is read: its address gives a MAC, libvirt's network ports the domain owning that MAC,
 * which is read first. (The test driver has no ports: there the first answer waits.)
 *
 * Faults cannot pile up. A pass that fails (libvirt stopped, hung past [libvirt] timeout, virsh
 * gone) logs the fault once and marks the connection down (health() degraded): its virsh is
 * killed, what was sent or queued is dropped, and the loop sleeps one backoff step before a full
 * load. So at most one virsh per session runs, and once libvirt is back the view is current
 * within one backoff step and one full load. An unknown client asking meanwhile is answered at
 * once and brings the next try forward, once per step. A fault about one domain, network or
 * lease file is logged once and what was known of it kept; a failed publication is tried again.
 * What is known is served throughout, and leases still expire.
 */
import type { Logger } from "../../log/logger.js";
import type { InstanceSource, InventorySink, SourceHealth } from "../source.js";
import { startEventFeed, type Backoff, type EventKind } from "./event-stream.js";
import { eventMatters, type LibvirtEvent } from "./events.js";
import { watch, type FSWatcher } from "node:fs";
import { isLocalUri } from "./connection-uri.js";
import { Reconciler } from "./reconciler.js";
import type { VirshOptions } from "./virsh-session.js";

/** One connection and what to serve from it. */
export interface LibvirtSourceOptions extends VirshOptions {
  /** dnsmasq.net_name and dnsmasq.base_dir (lease files, read only for a local URI). */
  readonly networks: readonly string[];
  readonly baseDir: string;
  /** Full reloads and lease re-reads this often; 0 for none. */
  readonly refreshIntervalMs: number;
  readonly leaseRefreshIntervalMs?: number;
  /** Follow events, watch lease files, retry and reload; off for one look (mdserver list). */
  readonly watch: boolean;
  readonly log: Logger;
  /** Retries (and event-stream restarts) while libvirt is away; 0.5 s doubling to 5 s. */
  readonly backoff?: Backoff;
  /** Domains read per pass of a load (default 256): what events and asking guests wait behind. */
  readonly batch?: number;
  /** Told after each pass how long it took and whether it failed (for /metrics). */
  readonly observe?: ((seconds: number, ok: boolean) => void) | undefined;
}

/** The instances of one connection: the loop, marked by events, timers and lease files. */
export class LibvirtSource extends Reconciler implements InstanceSource {
  private readonly timers: NodeJS.Timeout[] = [];
  private watcher: FSWatcher | undefined;
  private settling: NodeJS.Timeout | undefined;
  private stopEvents: (() => Promise<void>) | undefined;

  override async start(sink: InventorySink): Promise<void> {
    if (this.options.watch) {
      this.stopEvents = startEventFeed({
        ...this.options,
        onEvent: (event) => this.onEvent(event),
        onUp: (kind, resumed) => this.onStreamUp(kind, resumed),
        onDown: (kind, reason) => {
          const message = `libvirt ${kind} events from ${this.options.uri} stopped: ${reason}`;
          if (!this.stopped) this.faults.raise(`events:${kind}`, message);
        },
      });
      const { refreshIntervalMs: full, leaseRefreshIntervalMs: leases = 0 } = this.options;
      if (full > 0) this.every(full, () => this.mark("all"));
      if (leases > 0) this.every(leases, () => this.mark("networks"));
      this.watchLeaseFiles();
    }
    await super.start(sink);
  }

  override async stop(): Promise<void> {
    for (const timer of [...this.timers, this.settling]) clearTimeout(timer);
    this.watcher?.close();
    await Promise.all([super.stop(), this.stopEvents?.()]);
  }

  health(): SourceHealth {
    const problem = this.faults.problem();
    return { ok: problem === undefined, problem };
  }

  private onEvent(event: LibvirtEvent): void {
    if (!eventMatters(event)) return;
    if (event.object === "domain") this.mark(`domain ${event.name}`);
    else if (this.options.networks.includes(event.name)) this.mark("networks");
    else return;
    this.log.debug({ event }, "libvirt event");
  }

  private onStreamUp(kind: EventKind, resumed: boolean): void {
    const key = `events:${kind}`;
    const lost = resumed || this.faults.has(key);
    this.faults.clear(key);
    // Events sent while no stream listened are lost: look at everything again, now (libvirt
    // is back). The first time, only at what changed between the start-up load and the stream.
    if (lost) this.mark("all", true);
    else this.mark(kind === "domain" ? "list" : "networks");
  }

  /**
   * Reads the networks once changes to a lease file under base_dir (of a local libvirt) settle.
   * A watch that fails is reported (not degrading: the lease re-reads still find changes) and
   * tried again with every re-read.
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
        // Changes gathered into one read: libvirt's helper rewrites a file by rename.
        this.settling ??= setTimeout(() => {
          this.settling = undefined;
          this.mark("networks");
        }, 50);
      });
      this.watcher.on("error", failed);
      this.faults.clear("lease-watch");
    } catch (error) {
      failed(error);
    }
  }

  private every(ms: number, action: () => void): void {
    const tick = () => (action(), this.watchLeaseFiles());
    this.timers.push(setInterval(tick, Math.min(ms, 2 ** 31 - 1)).unref());
  }
}
