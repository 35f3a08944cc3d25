/**
 * One connection's configured networks and their leases, kept current: read with every full
 * load, again when an unknown client asks, on network events, every lease_refresh_interval,
 * and, for a local libvirt, whenever a lease file under dnsmasq.base_dir changes. A read that
 * finds nothing new changes nothing; one that does is published soon (a burst of lease
 * renewals is one publication), or at once for an unknown client waiting for it.
 */
import type { FSWatcher } from "node:fs";
import { isLocalUri } from "./connection-uri.js";
import { eventAction, type LibvirtEvent } from "./events.js";
import { watchLeaseFiles } from "./lease-files.js";
import type { NamedTimers } from "./named-timers.js";
import type { NetworkLoader } from "./network-loader.js";
import { sameNetworks, type NetworkState } from "./network-state.js";

/**
 * How long lease-file changes are gathered into one read: libvirt's helper rewrites a file by
 * rename (two or three changes), and a host renewing many leases changes it again and again.
 */
const LEASE_FILE_SETTLE_MS = 50;

/** Where networks are read and whom to tell. */
export interface NetworkSyncOptions {
  readonly uri: string;
  /** dnsmasq.net_name. */
  readonly networks: readonly string[];
  /** dnsmasq.base_dir. */
  readonly baseDir: string;
  /** Watch the lease files (off for a one-shot look). */
  readonly watch: boolean;
  readonly loader: NetworkLoader;
  readonly timers: NamedTimers;
  /** The networks changed: publish now. */
  changed(): void;
  /** The networks changed: publish soon. */
  changedSoon(): void;
  /** Publish now what changedSoon() asked for, if it is still waiting. */
  flush(): void;
  /** libvirt could not be reached. */
  failed(error: unknown): void;
  stopped(): boolean;
}

/** A read of the networks, and when it began. */
export interface NetworkRead {
  readonly networks: Map<string, NetworkState>;
  readonly epoch: number;
  /** Reads are numbered as they begin. */
  readonly seq: number;
}

/** The networks of one connection (see the module comment). */
export class NetworkSync {
  private state = new Map<string, NetworkState>();
  /** Bumped by network events: a read begun before one is not applied. */
  private epoch = 0;
  /** The number of the last read begun, and of the last applied. */
  private begun = 0;
  private applied = 0;
  private dirty = false;
  /** Someone waits for the reload in progress and looks right after it. */
  private urgent = false;
  private reloading: Promise<void> | undefined;
  private watcher: FSWatcher | undefined;

  constructor(private readonly options: NetworkSyncOptions) {}

  /** The configured networks that exist, as last read. */
  networks(): ReadonlyMap<string, NetworkState> {
    return this.state;
  }

  /** Reads every network; throws when libvirt cannot be reached. Apply it with apply(). */
  async read(): Promise<NetworkRead> {
    const { epoch } = this;
    const seq = ++this.begun;
    return { networks: await this.options.loader.read(this.state), epoch, seq };
  }

  /**
   * Applies a read unless a network event came since it began, or a read begun after it was
   * applied already (a full load applies its read only at its end). Returns whether anything
   * changed.
   */
  apply(read: NetworkRead): boolean {
    if (read.epoch !== this.epoch) {
      this.dirty = true;
      return false;
    }
    if (read.seq < this.applied) return false;
    this.applied = read.seq;
    if (sameNetworks(read.networks, this.state)) return false;
    this.state = read.networks;
    return true;
  }

  /**
   * Reads the networks again (and their leases), now and again while asked meanwhile. With
   * `urgent` (an unknown client waits), what changed is published before this resolves.
   */
  reload(urgent = false): Promise<void> {
    this.dirty = true;
    this.urgent ||= urgent;
    this.reloading ??= (async () => {
      try {
        while (this.dirty && !this.options.stopped()) {
          this.dirty = false;
          if (this.apply(await this.read())) this.options.changedSoon();
        }
      } catch (error) {
        this.options.failed(error);
      } finally {
        this.reloading = undefined;
        if (this.urgent) this.options.flush();
        this.urgent = false;
      }
    })();
    return this.reloading;
  }

  /**
   * A network event: a configured network undefined is forgotten at once, else read again.
   * Returns false for an event about another network, or one that changes nothing.
   */
  onEvent(event: LibvirtEvent): boolean {
    const action = eventAction(event);
    if (!this.options.networks.includes(event.name) || action === "ignore") return false;
    this.epoch++;
    if (action === "drop" && this.state.delete(event.name)) this.options.changed();
    else void this.reload();
    return true;
  }

  /** Watches the lease files, if they can be (a local URI) and are not watched yet. */
  watchLeaseFiles(): void {
    const { watch, uri, baseDir, loader } = this.options;
    if (!watch || this.watcher !== undefined || !isLocalUri(uri)) return;
    const interesting = (file: string) => loader.leaseFiles(this.state).includes(file);
    const { timers } = this.options;
    this.watcher = watchLeaseFiles(baseDir, interesting, () => {
      if (!timers.has("lease-files"))
        timers.set("lease-files", LEASE_FILE_SETTLE_MS, () => void this.reload());
    });
    this.watcher?.on("close", () => {
      this.watcher = undefined;
    });
  }

  /** Stops watching. */
  stop(): void {
    this.watcher?.close();
  }
}
