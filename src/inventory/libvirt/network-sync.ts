/**
 * One connection's configured networks and their leases, kept current: read with every full
 * load, again when an unknown client asks, on network events, every lease_refresh_interval,
 * and, for a local libvirt, whenever a lease file under dnsmasq.base_dir changes.
 */
import type { FSWatcher } from "node:fs";
import { isLocalUri } from "./connection-uri.js";
import { eventAction, type LibvirtEvent } from "./events.js";
import { watchLeaseFiles } from "./lease-files.js";
import type { NetworkState } from "./libvirt-view.js";
import type { NetworkLoader } from "./network-loader.js";

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
  /** The networks changed: publish now. */
  changed(): void;
  /** libvirt could not be reached. */
  failed(error: unknown): void;
  stopped(): boolean;
}

/** A read of the networks, and when it began. */
export interface NetworkRead {
  readonly networks: Map<string, NetworkState>;
  readonly epoch: number;
}

/** The networks of one connection (see the module comment). */
export class NetworkSync {
  private state = new Map<string, NetworkState>();
  /** Bumped by network events: a read begun before one is not applied. */
  private epoch = 0;
  private dirty = false;
  private reloading: Promise<void> | undefined;
  private watcher: FSWatcher | undefined;

  constructor(private readonly options: NetworkSyncOptions) {}

  /** The configured networks that exist, as last read. */
  networks(): ReadonlyMap<string, NetworkState> {
    return this.state;
  }

  /** Reads every network; throws when libvirt cannot be reached. Apply it with apply(). */
  async read(): Promise<NetworkRead> {
    const epoch = this.epoch;
    return { networks: await this.options.loader.read(this.state), epoch };
  }

  /** Applies a read unless a network event came since it began. */
  apply(read: NetworkRead): boolean {
    if (read.epoch !== this.epoch) {
      this.dirty = true;
      return false;
    }
    this.state = read.networks;
    return true;
  }

  /** Reads the networks again (and their leases), now and again while asked meanwhile. */
  reload(): Promise<void> {
    this.dirty = true;
    this.reloading ??= (async () => {
      try {
        while (this.dirty && !this.options.stopped()) {
          this.dirty = false;
          if (this.apply(await this.read())) this.options.changed();
        }
      } catch (error) {
        this.options.failed(error);
      } finally {
        this.reloading = undefined;
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
    this.watcher = watchLeaseFiles(baseDir, interesting, () => {
      void this.reload();
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
