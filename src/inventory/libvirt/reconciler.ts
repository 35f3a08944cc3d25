/**
 * The one loop of a connection and the state only it changes (libvirt-source.ts explains the
 * shape): anyone sets the marks; the loop alone takes them, reads, applies and publishes.
 */
import type { InventorySink } from "../source.js";
import type { Backoff } from "./event-stream.js";
import type { ReadContext } from "./libvirt-reads.js";
import { KEPT, readDomain, readNetworks, readPorts, runningDomains } from "./libvirt-reads.js";
import { buildView, portKey, type NetworkState } from "./libvirt-view.js";
import type { DomainInfo } from "./libvirt-xml.js";
import { virshArg } from "./virsh-framing.js";

/** Domains read in one pass of a load: what an event or an asking guest may wait behind. */
const BATCH = 256;

/** What the loop reads from and reports to. */
export interface ReconcilerOptions extends ReadContext {
  /** The source's id: Instance.source of what it serves. */
  readonly id: string;
  readonly backoff: Backoff;
  /** Keep going (retries, marks); off for a one-shot look: one load, then stop. */
  readonly watch: boolean;
  /** Ends the virsh session and fails what was sent to it (virsh-session.ts). */
  abort(reason: string): void;
}

/** The reconcile loop of one connection (see the module comment). */
export class Reconciler {
  /** When the view was last complete and current (ms since the epoch). */
  lastSuccess: number | undefined;
  /** Running domains by UUID (stopped ones are never served, so never kept); UUIDs by name. */
  private readonly domains = new Map<string, DomainInfo>();
  private readonly uuids = new Map<string, string>();
  private networks = new Map<string, NetworkState>();
  /** During the first load, which domains own which MAC (null: the driver has no ports). */
  private ports: Map<string, string[]> | undefined | null;
  private complete = false;
  // The marks; `urgent` and `queue` hold UUIDs to read, those someone waits for first.
  private all = false;
  private relist = false;
  private nets = false;
  private view = false;
  private readonly names = new Set<string>();
  private readonly asking = new Set<string>();
  private readonly urgent = new Set<string>();
  private readonly queue = new Set<string>();
  private loading = false;
  private waiting: Array<() => void> = [];
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sink: InventorySink | undefined;
  private down = false;
  private hurried = false;
  private stopped = false;
  private delay: number;
  private loop: Promise<void> | undefined;
  private loaded: (() => void) | undefined;

  constructor(private readonly options: ReconcilerOptions) {
    this.delay = options.backoff.initialMs;
  }

  /** Starts the loop with a full load; resolves when that load has ended or failed. */
  start(sink: InventorySink): Promise<void> {
    this.sink = sink;
    this.all = true;
    const loaded = new Promise<void>((resolve) => (this.loaded = resolve));
    this.loop = this.run();
    return loaded;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.options.abort("stopping");
    this.wake?.();
    await this.loop;
  }

  /** Everything again; with `now` even during a backoff (libvirt is back). */
  markAll(now = false): void {
    this.all = true;
    if (now) this.wake?.();
    this.poke();
  }

  markNetworks(): void {
    this.nets = true;
    this.poke();
  }

  /** The running domains: ones started or stopped meanwhile. */
  markRelist(): void {
    this.relist = true;
    this.poke();
  }

  /** A domain an event named. */
  markDomain(name: string): void {
    this.names.add(name);
    this.poke();
  }

  /**
   * Unknown clients asked from `addresses`: look at the networks, the running domains and the
   * domains owning those addresses; resolves after that pass. While libvirt is away it
   * resolves at once (a request must not wait for a time-out) and brings the next try
   * forward, once per backoff step: every request doing so would undo the backoff.
   */
  look(addresses: readonly string[]): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.down) {
      if (!this.hurried) this.wake?.();
      this.hurried = true;
      return Promise.resolve();
    }
    this.nets = this.relist = true;
    for (const address of addresses) this.asking.add(address);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.poke();
    });
  }

  private poke(): void {
    if (!this.down) this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const marks = this.names.size + this.urgent.size + this.queue.size;
      if (!this.all && !this.relist && !this.nets && !this.view && marks === 0) await this.sleep();
      const waiters = this.waiting.splice(0);
      if (!this.stopped) await this.pass().catch((error: unknown) => this.failed(error));
      for (const resolve of waiters) resolve();
      if (!this.options.watch && (this.down || this.complete)) break;
      if (!this.down || this.stopped) continue;
      this.hurried = false;
      await this.sleep(this.delay);
      this.delay = Math.min(this.delay * 2, this.options.backoff.maxMs);
    }
    this.loaded?.();
  }

  /** Reads what is marked (one batch of a load at most), applies it, publishes the view. */
  private async pass(): Promise<void> {
    const load = this.all && !this.loading;
    let changed = this.view;
    this.view = false;
    if (this.nets || load) {
      this.nets = false;
      const next = await readNetworks(this.options, this.networks);
      changed ||= JSON.stringify([...next]) !== JSON.stringify([...this.networks]);
      this.networks = next;
    }
    if (load || this.relist) {
      if (load) this.all = false;
      this.relist = false;
      changed = (await this.list(load)) || changed;
    }
    const names = [...this.names];
    this.names.clear();
    changed = (await this.read(names, true)) || changed;
    if (this.asking.size > 0) await this.findAsking();
    const batch = take(this.urgent, BATCH);
    changed = (await this.read(batch.concat(take(this.queue, BATCH - batch.length)))) || changed;
    if (this.loading && this.queue.size + this.urgent.size === 0) {
      changed ||= !this.complete;
      this.loading = false;
      this.complete = true;
      this.ports = undefined;
      this.lastSuccess = Date.now();
      this.loaded?.();
    }
    if (this.down) this.options.faults.clear("connection");
    this.down = false;
    this.delay = this.options.backoff.initialMs;
    if (changed && (this.complete || this.ports)) this.publish();
  }

  /** Lists the running domains, forgets the others, queues those to read (all, or new ones). */
  private async list(all: boolean): Promise<boolean> {
    const running = await runningDomains(this.options);
    const listed = new Set(running);
    this.options.faults.clearAllBut("domain:", new Set(running.map((uuid) => `domain:${uuid}`)));
    let changed = false;
    for (const uuid of this.domains.keys())
      if (!listed.has(uuid)) changed = this.forget(uuid) || changed;
    for (const uuid of running) {
      if (all) this.queue.add(uuid);
      else if (!this.domains.has(uuid) && !this.queue.has(uuid)) this.urgent.add(uuid);
    }
    this.loading ||= all;
    return changed;
  }

  /**
   * Reads domains by UUID (or by name, for events) and applies each read, unless an event named
   * the domain meanwhile (the next pass reads it again). One that cannot be read by a name and
   * is not known (a name virsh cannot be given, XML that does not parse) is found by listing.
   */
  private async read(refs: readonly string[], byName = false): Promise<boolean> {
    const uuids = refs.map((ref) => (byName ? this.uuids.get(ref) : ref));
    const args = refs.map((ref) => (byName ? virshArg(ref) : ref));
    const reads = await Promise.all(
      args.map((arg, i) => (arg === undefined ? KEPT : readDomain(this.options, arg, uuids[i]))),
    );
    let changed = false;
    reads.forEach((info, i) => {
      const uuid = uuids[i];
      if (info === KEPT) return void (uuid === undefined && this.markRelist());
      if (this.names.has(info?.name ?? (byName ? refs[i]! : ""))) return;
      const before = uuid === undefined ? undefined : this.domains.get(uuid);
      if (info?.active && before && JSON.stringify(before) === JSON.stringify(info)) return;
      changed = (uuid !== undefined && this.forget(uuid)) || changed;
      if (!info?.active) return;
      // A rename keeps the UUID; a name taken over by another UUID is that domain's now.
      this.forget(info.uuid);
      this.forget(this.uuids.get(info.name) ?? "");
      this.domains.set(info.uuid, info);
      this.uuids.set(info.name, info.uuid);
      changed = true;
    });
    return changed;
  }

  private forget(uuid: string): boolean {
    const known = this.domains.get(uuid);
    if (known === undefined) return false;
    this.domains.delete(uuid);
    if (this.uuids.get(known.name) === uuid) this.uuids.delete(known.name);
    return true;
  }

  /**
   * During the first load, the domains owning the MACs (leases, reservations) of asking
   * addresses are read first, as libvirt's ports tell; afterwards a listing finds them.
   */
  private async findAsking(): Promise<void> {
    const asking = new Set(this.asking);
    this.asking.clear();
    if (this.complete || this.ports === null) return;
    const keys = [...this.networks].flatMap(([name, { info, leases }]) =>
      [...info.reservations, ...leases]
        .filter((held) => asking.has(held.address))
        .map((held) => portKey(name, held.mac)),
    );
    if (keys.length > 0) this.ports ??= await readPorts(this.options, this.networks.keys());
    for (const uuid of keys.flatMap((key) => this.ports?.get(key) ?? [])) {
      this.queue.delete(uuid);
      if (!this.domains.has(uuid)) this.urgent.add(uuid);
    }
  }

  /** Builds the view and hands it to the inventory; a failure is reported and tried again. */
  private publish(): void {
    const { id: source, faults, uri } = this.options;
    const now = Date.now();
    try {
      const ports = this.complete ? undefined : (this.ports ?? undefined);
      const domains = this.domains.values();
      const view = buildView({ source, networks: this.networks, domains, now, ports });
      for (const { address, claimants } of view.conflicts) {
        const message = `${address} is claimed by ${claimants.join(" and ")}; serving none of them`;
        faults.raise(`conflict:${address}`, message, false);
      }
      faults.clearAllBut("conflict:", new Set(view.conflicts.map((c) => `conflict:${c.address}`)));
      this.sink?.publish(source, view.identities);
      faults.clear("publish");
      // The index refuses an expired lease by itself; publishing again tells listeners (DNS).
      let next = Infinity;
      for (const { expiresAt = Infinity } of view.identities) next = Math.min(next, expiresAt);
      if (next !== Infinity) this.viewIn(next - now + 1);
    } catch (error) {
      faults.raise("publish", `cannot publish the view of ${uri}: ${(error as Error).message}`);
      this.viewIn(this.options.backoff.initialMs);
    }
  }

  private viewIn(ms: number): void {
    if (!this.options.watch || this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => ((this.view = true), this.poke()), Math.min(ms, 2 ** 31 - 1));
    this.timer.unref();
  }

  /**
   * A pass failed (libvirt stopped, hung, or a read broke): logged once; the virsh session ends
   * and everything sent to it fails now, so nothing waits behind a dead one; what was queued is
   * dropped, and a full load follows the backoff.
   */
  private failed(error: unknown): void {
    if (this.stopped) return;
    const message = error instanceof Error ? error.message : String(error);
    this.options.faults.raise(
      "connection",
      `cannot read libvirt at ${this.options.uri}: ${message}`,
    );
    this.options.abort(message);
    this.down = this.all = true;
    this.loading = this.relist = this.nets = false;
    for (const marks of [this.names, this.asking, this.urgent, this.queue]) marks.clear();
    this.loaded?.();
  }

  /** Waits until woken, or `ms` passed. */
  private sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      if (this.stopped) this.wake();
    });
  }
}

/** Takes up to `n` items from the front of `set`. */
function take(set: Set<string>, n: number): string[] {
  const taken: string[] = [];
  for (const item of set) {
    if (taken.length >= n) break;
    taken.push(item);
    set.delete(item);
  }
  return taken;
}
