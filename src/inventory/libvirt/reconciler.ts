/** The one loop of a connection and the state only it changes (see libvirt-source.ts). */
import type { InventorySink } from "../source.js";
import type { Backoff } from "./event-stream.js";
import { KEPT, readDomains, readNetworks, readPorts, runningDomains } from "./libvirt-reads.js";
import type { DomainRef, ReadContext } from "./libvirt-reads.js";
import { buildView, portKeysOf, type NetworkState } from "./libvirt-view.js";
import type { DomainInfo } from "./libvirt-xml.js";
import type { LibvirtSourceOptions } from "./libvirt-source.js";

/** What the loop reads from and reports to; `id` is Instance.source of what it serves. */
type ReconcilerOptions = ReadContext &
  Pick<LibvirtSourceOptions, "watch" | "batch" | "observe"> & { id: string; backoff: Backoff };

/** The reconcile loop of one connection (see the module comment). */
export class Reconciler {
  /** What to read again: "all", "list" (running domains), "networks", "view", "domain NAME". */
  private readonly marks = new Set<string>();
  private readonly asking = new Set<string>();
  /** Domains to read, by UUID: those someone waits for first, then those of a load. */
  private queue = new Map<string, DomainRef>();
  /** Running domains by UUID (stopped ones are never served, so never kept); UUIDs by name. */
  private readonly domains = new Map<string, DomainInfo>();
  private readonly uuids = new Map<string, string>();
  private networks = new Map<string, NetworkState>();
  /** During the first load, which domains own which MAC (null: the driver has no ports). */
  private ports: Map<string, string[]> | undefined | null;
  /** Every running domain has been read since start-up. */
  private complete = false;
  private loading = false;
  private down = false;
  private hurried = false;
  private stopped = false;
  private delay = 0;
  private waiting: Array<() => void> = [];
  private wake: ((timedOut?: boolean) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sink: InventorySink | undefined;
  private loop: Promise<void> | undefined;
  private loaded: (() => void) | undefined;

  constructor(private readonly options: ReconcilerOptions) {}

  /** Starts the loop with a full load; resolves when that load has ended or failed. */
  start(sink: InventorySink): Promise<void> {
    this.sink = sink;
    this.delay = this.options.backoff.initialMs;
    this.marks.add("all");
    const loaded = new Promise<void>((resolve) => (this.loaded = resolve));
    this.loop = this.run();
    return loaded;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.options.session.abort("stopping");
    this.wake?.();
    await this.loop;
  }

  /** Marks something to read again (see `marks`); with `now`, even during a backoff. */
  mark(what: string, now = false): void {
    this.marks.add(what);
    if (now || !this.down) this.wake?.();
  }

  /**
   * Unknown clients asked from `addresses`: resolves after a pass that read them. While libvirt
   * is away it resolves at once and brings the next try forward, once per backoff step (every
   * request doing so would undo the backoff).
   */
  look(addresses: readonly string[]): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.down) {
      if (!this.hurried) this.wake?.();
      this.hurried = true;
      return Promise.resolve();
    }
    addresses.forEach((address) => this.asking.add(address));
    this.mark("networks");
    this.mark("list");
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.marks.size + this.queue.size === 0) await this.sleep();
      const waiters = this.waiting.splice(0);
      const started = performance.now();
      const ok = this.stopped || (await this.pass().then(() => true, this.failed));
      this.options.observe?.((performance.now() - started) / 1000, ok);
      waiters.forEach((resolve) => resolve());
      if (!this.options.watch && (this.down || this.complete)) break;
      if (!this.down || this.stopped) continue;
      // Only a step that ran its full time allows the next early try (see look).
      if (await this.sleep(this.delay)) this.hurried = false;
      this.delay = Math.min(this.delay * 2, this.options.backoff.maxMs);
    }
    this.loaded?.();
  }

  /** Reads what is marked (one batch of a load at most), applies it, publishes the view. */
  private async pass(): Promise<void> {
    const ctx = this.options;
    // A load in progress ends before the next one begins, or a listing (it lists them all).
    const load = this.marks.has("all") && !this.loading;
    const marks = [...this.marks].filter((m) => !this.loading || (m !== "all" && m !== "list"));
    marks.forEach((mark) => this.marks.delete(mark));
    let changed = marks.includes("view");
    if (marks.includes("networks") || load) {
      const next = await readNetworks(ctx, this.networks);
      changed ||= JSON.stringify([...next]) !== JSON.stringify([...this.networks]);
      this.networks = next;
    }
    if (load || marks.includes("list")) {
      const running = await runningDomains(ctx);
      const listed = new Set(running.map((d) => d.uuid));
      ctx.faults.clearAllBut("domain:", new Set(running.map((d) => `domain:${d.uuid}`)));
      for (const uuid of this.domains.keys())
        if (!listed.has(uuid)) changed = this.forget(uuid) || changed;
      // A load reads them all (after those someone waits for); a listing those not known yet.
      const known = (uuid: string) => this.domains.has(uuid) || this.queue.has(uuid);
      const add = running.filter((r) => load || !known(r.uuid)).map((r) => [r.uuid, r] as const);
      this.queue = new Map(load ? [...this.queue, ...add] : [...add, ...this.queue]);
      this.loading ||= load;
    }
    const owners = (await this.owners(new Set(this.asking))).map(
      (uuid) => [uuid, { uuid }] as const,
    );
    // First, as queued already (a Map keeps the first place of a key, and its last value).
    if (owners.length > 0) this.queue = new Map([...owners, ...this.queue]);
    this.asking.clear();
    // Events name domains: known ones are read by UUID, others by name.
    const named = marks.flatMap((m) => (m.startsWith("domain ") ? [m.slice(7)] : []));
    const refs = named.map((name): DomainRef => ({ uuid: this.uuids.get(name), name }));
    for (const [uuid, ref] of this.queue) {
      if (refs.length >= named.length + (this.options.batch ?? 256)) break;
      refs.push(ref);
      this.queue.delete(uuid);
    }
    for (const [ref, info] of await readDomains(ctx, refs))
      changed = this.apply(ref, info) || changed;
    if (this.loading && this.queue.size === 0) {
      // The view is whole and current again: only now is a fault over, and the backoff too.
      changed ||= !this.complete;
      this.loading = false;
      this.complete = true;
      this.ports = undefined;
      this.loaded?.();
      ctx.faults.clear("connection");
      this.delay = ctx.backoff.initialMs;
    }
    this.down = false;
    if (changed && (this.complete || this.ports)) this.publish();
  }

  /** Applies one read, unless an event named the domain meanwhile; true if it changed. */
  private apply(ref: DomainRef, info: DomainInfo | undefined | typeof KEPT): boolean {
    if (info === KEPT) {
      if (ref.uuid === undefined) this.mark("list"); // not known: found by listing
      return false;
    }
    if (this.marks.has(`domain ${info?.name ?? ref.name}`)) return false;
    const uuid = info?.uuid ?? ref.uuid ?? "";
    const before = this.domains.get(uuid);
    if (info?.active && before && JSON.stringify(before) === JSON.stringify(info)) return false;
    const gone = this.forget(uuid);
    if (!info?.active) return gone;
    // A rename keeps the UUID; a name taken over by another UUID is that domain's now.
    this.forget(this.uuids.get(info.name) ?? "");
    this.domains.set(info.uuid, info);
    this.uuids.set(info.name, info.uuid);
    return true;
  }

  private forget(uuid: string): boolean {
    const known = this.domains.get(uuid);
    if (known === undefined) return false;
    this.domains.delete(uuid);
    if (this.uuids.get(known.name) === uuid) this.uuids.delete(known.name);
    return true;
  }

  /** The domains not read yet owning these addresses, by libvirt's ports (first load). */
  private async owners(addresses: ReadonlySet<string>): Promise<string[]> {
    if (this.complete || this.ports === null || addresses.size === 0) return [];
    const keys = portKeysOf(this.networks, addresses);
    if (keys.length > 0) this.ports ??= await readPorts(this.options, this.networks.keys());
    const owners = keys.flatMap((key) => this.ports?.get(key) ?? []);
    return owners.filter((uuid) => !this.domains.has(uuid));
  }

  /** Builds the view and hands it to the inventory; a failure is reported and tried again. */
  private publish(): void {
    const { id: source, faults, uri } = this.options;
    const now = Date.now();
    try {
      const { networks, ports } = this;
      const view = buildView({ source, networks, domains: this.domains.values(), now, ports });
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
    this.timer = setTimeout(() => this.mark("view"), Math.min(ms, 2 ** 31 - 1)).unref();
  }

  /** A pass failed: its virsh ends, what was queued is dropped, a load follows the backoff. */
  private readonly failed = (error: unknown): false => {
    if (this.stopped) return false;
    const message = error instanceof Error ? error.message : String(error);
    const { faults, uri, session } = this.options;
    faults.raise("connection", `cannot read libvirt at ${uri}: ${message}`);
    session.abort(message);
    this.down = true;
    this.loading = false;
    [this.marks, this.asking, this.queue].forEach((marks) => marks.clear());
    this.marks.add("all");
    this.loaded?.();
    return false;
  };

  /** Waits until woken, or `ms` passed; true when the time ran out. */
  private sleep(ms?: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.wake?.(true), ms);
      this.wake = (timedOut = false) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(timedOut);
      };
    });
  }
}
