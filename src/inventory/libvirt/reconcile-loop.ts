/**
 * The one loop that owns a connection's state (libvirt-state.ts) and its virsh session: events,
 * timers and unknown clients only mark what is dirty; the loop reads it, applies it, publishes
 * the view and sleeps until something is marked. libvirt-source.ts explains the whole shape.
 */
import type { Identity } from "../instance.js";
import type { InventorySink } from "../source.js";
import type { Backoff } from "./event-stream.js";
import type { Faults } from "./faults.js";
import { errorText } from "./libvirt-reader.js";
import type { LibvirtState } from "./libvirt-state.js";
import { keepUnchanged, sameIdentities } from "./stable-identities.js";

/**
 * Domains read in one step of a load: what an event or an asking guest may wait behind
 * (tens of milliseconds), while each step still fills the virsh pipe.
 */
const BATCH = 256;

/** Longest a timer can wait in Node. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the loop works on and reports to. */
export interface ReconcileLoopOptions {
  /** The source's id, under which the view is published. */
  readonly id: string;
  readonly uri: string;
  readonly state: LibvirtState;
  readonly faults: Faults;
  readonly backoff: Backoff;
  /** Keep going (retries, events, timers); off for a one-shot look: one load, then stop. */
  readonly watch: boolean;
  /** Ends the virsh session and fails what was sent to it (see virsh-session.ts). */
  abort(reason: string): void;
}

/** The reconcile loop of one connection (see the module comment). */
export class ReconcileLoop {
  /** When a pass last ended with every running domain known (ms since the epoch). */
  lastSuccess: number | undefined;
  // What is dirty: anyone marks, only the loop takes.
  private all = false;
  private relist = false;
  private networks = false;
  private view = false;
  private readonly names = new Set<string>();
  private readonly asking = new Set<string>();
  /** UUIDs to read: asked for (read first), and those of a load in progress. */
  private readonly urgent = new Set<string>();
  private readonly queue = new Set<string>();
  private loading = false;

  private sink: InventorySink | undefined;
  private published: readonly Identity[] | undefined;
  private waiting: Array<() => void> = [];
  private wake: (() => void) | undefined;
  private viewTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private down = false;
  private hurried = false;
  private delay: number;
  private running: Promise<void> | undefined;
  private firstLoad: (() => void) | undefined;

  constructor(private readonly options: ReconcileLoopOptions) {
    this.delay = options.backoff.initialMs;
  }

  /** Starts the loop with a full load; resolves once that load has ended (or failed). */
  start(sink: InventorySink): Promise<void> {
    this.sink = sink;
    this.all = true;
    const loaded = new Promise<void>((resolve) => (this.firstLoad = resolve));
    this.running = this.run();
    return loaded;
  }

  /** Stops the loop: nothing is read, published or waited for afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sink = undefined;
    clearTimeout(this.viewTimer);
    this.options.abort("stopping");
    this.wake?.();
    await this.running;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Everything again; with `now`, even during a backoff (libvirt is back). */
  markAll(now = false): void {
    this.all = true;
    if (now) this.wake?.();
    this.poke();
  }

  /** The networks and their leases. */
  markNetworks(): void {
    this.networks = true;
    this.poke();
  }

  /** The domain list: domains started or stopped meanwhile. */
  markRelist(): void {
    this.relist = true;
    this.poke();
  }

  /** One domain, named by an event. */
  markDomain(name: string): void {
    this.names.add(name);
    this.poke();
  }

  /**
   * An unknown client asked from `addresses`: look at leases, reservations, new domains and the
   * domains that own those addresses. Resolves after that look. While libvirt is away it
   * resolves at once (a request must not wait for a time-out) and brings the next try forward,
   * once per backoff step: every request doing so would undo the backoff.
   */
  look(addresses: readonly string[]): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.down) {
      if (!this.hurried) this.wake?.();
      this.hurried = true;
      return Promise.resolve();
    }
    this.networks = this.relist = true;
    for (const address of addresses) this.asking.add(address);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.poke();
    });
  }

  private poke(): void {
    if (!this.down) this.wake?.();
  }

  private dirty(): boolean {
    const { all, relist, networks, view, names, urgent, queue } = this;
    return all || relist || networks || view || names.size + urgent.size + queue.size > 0;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (!this.dirty()) await this.sleep();
      if (this.stopped) break;
      const waiters = this.waiting.splice(0);
      try {
        await this.pass();
        this.recovered();
      } catch (error) {
        this.failed(error);
      }
      for (const resolve of waiters) resolve();
      if (!this.options.watch && (this.down || this.options.state.complete)) break;
      if (this.down && !this.stopped) await this.backoff();
    }
    this.firstLoad?.();
  }

  /** One round: read what is dirty (a batch of a load at most), apply it, publish. */
  private async pass(): Promise<void> {
    const { state } = this.options;
    let changed = this.view;
    this.view = false;
    // A load in progress ends before the next one begins.
    const load = this.all && !this.loading;
    if (this.networks || load) {
      this.networks = false;
      changed = (await state.readNetworks()) || changed;
    }
    if (load || this.relist) {
      if (load) this.all = false;
      this.relist = false;
      const listed = await state.list(load);
      changed ||= listed.changed;
      for (const uuid of listed.read)
        if (!this.queue.has(uuid)) (load ? this.queue : this.urgent).add(uuid);
      this.loading ||= load;
    }
    const skip = (name: string) => this.names.has(name);
    if (this.names.size > 0) {
      const names = [...this.names];
      this.names.clear();
      changed = (await state.readDomains(names, true, skip)) || changed;
    }
    if (this.asking.size > 0) {
      const owners = await state.ownersOf([...this.asking]);
      this.asking.clear();
      for (const uuid of owners) {
        this.queue.delete(uuid);
        this.urgent.add(uuid);
      }
    }
    const batch = take(this.urgent, BATCH);
    batch.push(...take(this.queue, BATCH - batch.length));
    if (batch.length > 0) changed = (await state.readDomains(batch, false, skip)) || changed;
    if (this.loading && this.queue.size + this.urgent.size === 0) {
      this.loading = false;
      if (!state.complete) changed = true;
      state.loaded();
      this.lastSuccess = Date.now();
      this.firstLoad?.();
    }
    if (changed && state.canPublish) this.publish();
  }

  /** Builds the view and hands it to the inventory, unless it is the same as the last. */
  private publish(): void {
    const { id, faults, uri, state, backoff } = this.options;
    const now = Date.now();
    try {
      const view = state.view(now);
      const conflicts = new Set<string>();
      for (const { address, claimants } of view.conflicts) {
        const message = `${address} is claimed by ${claimants.join(" and ")}; serving none of them`;
        conflicts.add(`conflict:${address}`);
        faults.raise(`conflict:${address}`, message, false);
      }
      faults.clearAllBut("conflict:", conflicts);
      const identities = keepUnchanged(this.published ?? [], view.identities);
      if (this.published === undefined || !sameIdentities(this.published, identities)) {
        this.published = undefined;
        this.sink?.publish(id, identities);
        this.published = identities;
      }
      faults.clear("publish");
      // The index already refuses an expired lease; publishing again tells listeners (DNS) too.
      let next = Infinity;
      for (const { expiresAt } of identities)
        if (expiresAt !== undefined && expiresAt < next) next = expiresAt;
      if (next !== Infinity) this.viewIn(next - now + 1);
    } catch (error) {
      faults.raise("publish", `cannot publish the view of ${uri}: ${errorText(error)}`);
      this.viewIn(backoff.initialMs);
    }
  }

  /** Builds and publishes the view again in `ms`. */
  private viewIn(ms: number): void {
    if (!this.options.watch || this.stopped) return;
    clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(
      () => {
        this.view = true;
        this.poke();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    this.viewTimer.unref();
  }

  private recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.delay = this.options.backoff.initialMs;
    this.options.faults.clear("connection");
  }

  /**
   * A pass failed: libvirt is down (or hung, or a read broke). Logged once; the virsh session
   * ends and everything sent to it fails now, so nothing queues behind a dead one; what was
   * queued is dropped, and a full load is tried again after the backoff.
   */
  private failed(error: unknown): void {
    if (this.stopped) return;
    const { faults, uri, abort } = this.options;
    faults.raise("connection", `cannot read libvirt at ${uri}: ${errorText(error)}`);
    abort(errorText(error));
    this.down = true;
    this.all = true;
    this.loading = this.relist = this.networks = false;
    for (const set of [this.names, this.asking, this.urgent, this.queue]) set.clear();
    this.firstLoad?.();
  }

  private async backoff(): Promise<void> {
    this.hurried = false;
    await this.sleep(this.delay);
    this.delay = Math.min(this.delay * 2, this.options.backoff.maxMs);
  }

  /** Waits until woken (or for `ms`). */
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
