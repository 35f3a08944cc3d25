/**
 * The one loop of a connection and the state only it changes (libvirt-source.ts explains the
 * shape): anyone sets the marks; the loop alone takes them, reads, applies and publishes.
 */
import type { InventorySink } from "../source.js";
import type { Backoff } from "./event-stream.js";
import type { ReadContext } from "./libvirt-reads.js";
import { LibvirtState } from "./libvirt-state.js";

/** Domains read in one pass of a load: what an event or an asking guest may wait behind. */
export const BATCH = 256;

/** What the loop reads from and reports to. */
export interface ReconcilerOptions extends ReadContext {
  /** The source's id: Instance.source of what it serves. */
  readonly id: string;
  readonly backoff: Backoff;
  /** Keep going (retries, marks); off for a one-shot look: one load, then stop. */
  readonly watch: boolean;
  /** Ends the virsh session and fails what was sent to it (virsh-session.ts). */
  abort(reason: string): void;
  /** Domains read per pass of a load (BATCH). */
  readonly batch?: number | undefined;
  /** Told after each pass how long it took and whether it failed (for /metrics). */
  readonly observe?: PassObserver | undefined;
}

/** See ReconcilerOptions.observe. */
export type PassObserver = (seconds: number, ok: boolean) => void;

/** The reconcile loop of one connection (see the module comment). */
export class Reconciler {
  private readonly state: LibvirtState;
  /** What to read again: "all", "list" (running domains), "networks", "view", "domain NAME". */
  private readonly marks = new Set<string>();
  private readonly asking = new Set<string>();
  /** UUIDs to read: those someone waits for, then those of a load. */
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
    this.state = new LibvirtState(options);
  }

  /** Starts the loop with a full load; resolves when that load has ended or failed. */
  start(sink: InventorySink): Promise<void> {
    this.sink = sink;
    this.marks.add("all");
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

  /** Marks something to read again (see `marks`); with `now`, even during a backoff. */
  mark(what: string, now = false): void {
    this.marks.add(what);
    if (now || !this.down) this.wake?.();
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
    for (const address of addresses) this.asking.add(address);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.mark("networks");
      this.mark("list");
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.marks.size + this.urgent.size + this.queue.size === 0) await this.sleep();
      const waiters = this.waiting.splice(0);
      if (!this.stopped) await this.timedPass();
      for (const resolve of waiters) resolve();
      if (!this.options.watch && (this.down || this.state.complete)) break;
      if (!this.down || this.stopped) continue;
      // Only a step that ran its full time allows the next early try: an early try must not
      // start a step that the next request cuts short again.
      if (await this.sleep(this.delay)) this.hurried = false;
      this.delay = Math.min(this.delay * 2, this.options.backoff.maxMs);
    }
    this.loaded?.();
  }

  private async timedPass(): Promise<void> {
    const started = performance.now();
    let ok = true;
    await this.pass().catch((error: unknown) => {
      ok = false;
      this.failed(error);
    });
    this.options.observe?.((performance.now() - started) / 1000, ok);
  }

  /** Reads what is marked (one batch of a load at most), applies it, publishes the view. */
  private async pass(): Promise<void> {
    const { state } = this;
    // A load in progress ends before the next one begins, or a listing (it lists them all).
    const load = this.marks.has("all") && !this.loading;
    const marks = [...this.marks].filter((m) => !this.loading || (m !== "all" && m !== "list"));
    for (const mark of marks) this.marks.delete(mark);
    let changed = marks.includes("view");
    if (marks.includes("networks") || load) changed = (await state.readNetworks()) || changed;
    if (load || marks.includes("list")) {
      const listed = await state.list(load);
      changed ||= listed.changed;
      for (const uuid of listed.read)
        if (!this.queue.has(uuid)) (load ? this.queue : this.urgent).add(uuid);
      this.loading ||= load;
    }
    const names = marks.filter((m) => m.startsWith("domain ")).map((m) => m.slice(7));
    const skip = (name: string) => this.marks.has(`domain ${name}`);
    const asking = new Set(this.asking.values());
    this.asking.clear();
    for (const uuid of await state.owners(asking)) {
      this.queue.delete(uuid);
      this.urgent.add(uuid);
    }
    const size = this.options.batch ?? BATCH;
    const batch = take(this.urgent, size);
    for (const [refs, byName] of [
      [names, true],
      [batch.concat(take(this.queue, size - batch.length)), false],
    ] as const) {
      const read = await state.read(refs, byName, skip);
      changed ||= read.changed;
      if (read.relist) this.mark("list");
    }
    if (this.loading && this.queue.size + this.urgent.size === 0) {
      // The view is whole and current again: only now is a fault over, and the backoff too.
      changed ||= !state.complete;
      this.loading = false;
      state.loaded();
      this.loaded?.();
      this.options.faults.clear("connection");
      this.delay = this.options.backoff.initialMs;
    }
    this.down = false;
    if (changed && state.decided) this.publish();
  }

  /** Builds the view and hands it to the inventory; a failure is reported and tried again. */
  private publish(): void {
    const { id: source, faults, uri } = this.options;
    const now = Date.now();
    try {
      const view = this.state.view(source, now);
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
    this.timer = setTimeout(() => this.mark("view"), Math.min(ms, 2 ** 31 - 1));
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
    this.down = true;
    this.loading = false;
    for (const marks of [this.marks, this.asking, this.urgent, this.queue]) marks.clear();
    this.marks.add("all");
    this.loaded?.();
  }

  /** Waits until woken, or `ms` passed; true when the time ran out. */
  private sleep(ms?: number): Promise<boolean> {
    return new Promise((resolve) => {
      const end = (timedOut: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(timedOut);
      };
      const timer = ms === undefined ? undefined : setTimeout(() => end(true), ms);
      this.wake = () => end(false);
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
