import type { Logger } from "../../log/logger.js";
import type { InventorySink } from "../source.js";
import type { Backoff } from "./event-stream.js";
import { Faults } from "./faults.js";
import { KEPT, readDomains, readNetworks, readPorts, runningDomains } from "./libvirt-reads.js";
import type { DomainRef, ReadContext } from "./libvirt-reads.js";
import { buildView, portKeysOf, type NetworkState } from "./libvirt-view.js";
import type { DomainInfo } from "./libvirt-xml.js";
import type { LibvirtSourceOptions } from "./libvirt-source.js";
import { VirshSession } from "./virsh-session.js";

/** The one loop of a connection and the state only it changes (see libvirt-source.ts). */
export class Reconciler {
  readonly id: string;
  /** The faults behind health(), and the virsh every read goes through. */
  readonly faults: Faults;
  readonly session: VirshSession;
  protected readonly log: Logger;
  protected readonly options: LibvirtSourceOptions & ReadContext & { backoff: Backoff };
  protected stopped = false;
  /** What to read again: "all", "list" (running domains), "networks", "view", "domain NAME". */
  private readonly marks = new Set<string>(["all"]);
  private readonly asking = new Set<string>();
  /** Domains to read, by UUID, those someone waits for first: while any is, a load runs. */
  private queue = new Map<string, DomainRef & { uuid: string }>();
  /** Running domains by UUID; UUIDs by name. */
  private readonly domains = new Map<string, DomainInfo>();
  private readonly uuids = new Map<string, string>();
  private networks = new Map<string, NetworkState>();
  /** During the first load, which domains own which MAC (null: the driver has no ports). */
  private ports: Map<string, string[]> | undefined | null;
  /** Every running domain has been read since start-up. */
  private complete = false;
  /** The last pass failed: the loop backs off; `hurried`: an early try was made meanwhile. */
  private down = false;
  private hurried = false;
  /** When the view must be built again: a lease ends, or a publication is tried again. */
  private viewAt = Infinity;
  private waiting: Array<() => void> = [];
  private wake: ((timedOut?: boolean) => void) | undefined;
  private sink: InventorySink | undefined;
  private loop: Promise<void> | undefined;
  private loaded: (() => void) | undefined;

  constructor(options: LibvirtSourceOptions) {
    this.id = `libvirt ${options.uri}`;
    this.log = options.log.child({ source: this.id });
    this.faults = new Faults(this.log);
    this.session = new VirshSession(options);
    const backoff = options.backoff ?? { initialMs: 500, maxMs: 5000 };
    this.options = { ...options, backoff, faults: this.faults, session: this.session };
  }

  /** Starts the loop with a full load; resolves when that load has ended or failed. */
  start(sink: InventorySink): Promise<void> {
    this.sink = sink;
    this.loop = this.run();
    return new Promise((resolve) => (this.loaded = resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.session.abort("stopping");
    this.wake?.();
    await this.loop;
    await this.session.close();
  }

  /** Marks something to read again (see `marks`); with `now`, even during a backoff. */
  mark(what: string, now = false): void {
    this.marks.add(what);
    if (now || !this.down) this.wake?.();
  }

  /**
   * Unknown clients asked from `addresses`: resolves after a pass that read them, or at once while
   * libvirt is away (bringing the next try forward once per step, not per request: see run).
   */
  refresh(addresses: readonly string[] = []): Promise<void> {
    if (this.down || this.stopped) {
      if (!this.hurried) this.wake?.();
      this.hurried = true;
      return Promise.resolve();
    }
    addresses.forEach((address) => this.asking.add(address));
    this.marks.add("networks").add("list");
    this.wake?.();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private async run(): Promise<void> {
    const { backoff, watch, observe } = this.options;
    let delay = backoff.initialMs;
    while (!this.stopped) {
      if (this.marks.size + this.queue.size === 0)
        await this.sleep(this.viewAt - Date.now(), false);
      if (Date.now() >= this.viewAt) this.marks.add("view");
      const waiters = this.waiting.splice(0);
      const started = performance.now();
      const ok = this.stopped || (await this.pass().then(() => true, this.failed));
      observe?.((performance.now() - started) / 1000, ok);
      waiters.forEach((resolve) => resolve());
      if (!watch && (this.down || this.complete)) break;
      // The backoff is over once a load has ended (see pass).
      if (!this.down && this.queue.size === 0) delay = backoff.initialMs;
      if (!this.down || this.stopped) continue;
      // Only a step that ran its full time allows the next early try (see refresh).
      if (await this.sleep(delay)) this.hurried = false;
      delay = Math.min(delay * 2, backoff.maxMs);
    }
    this.loaded?.();
  }

  private async pass(): Promise<void> {
    const ctx = this.options;
    // A load in progress ends before the next one begins, or a listing (it lists them all).
    const loading = this.queue.size > 0;
    const marks = [...this.marks].filter((m) => !loading || (m !== "all" && m !== "list"));
    marks.forEach((mark) => this.marks.delete(mark));
    const load = marks.includes("all");
    let changed = marks.includes("view");
    if (load || marks.includes("networks")) {
      const next = await readNetworks(ctx, this.networks);
      changed ||= JSON.stringify([...next]) !== JSON.stringify([...this.networks]);
      this.networks = next;
    }
    if (load || marks.includes("list")) {
      const running = await runningDomains(ctx);
      const listed = new Set(running.map((d) => `domain:${d.uuid}`));
      ctx.faults.clearAllBut("domain:", listed);
      for (const uuid of this.domains.keys())
        if (!listed.has(`domain:${uuid}`)) changed = this.forget(uuid) || changed;
      // A load reads them all, a listing those not known yet (nothing is queued: see above).
      const add = running.filter((r) => load || !this.domains.has(r.uuid));
      this.queue = new Map(add.map((r) => [r.uuid, r]));
    }
    await this.queueOwners();
    // Events name domains: known ones are read by UUID, others by name.
    const named = marks.filter((m) => m.startsWith("domain ")).map((m) => m.slice(7));
    const refs = named.map((name): DomainRef => ({ uuid: this.uuids.get(name), name }));
    const batch = [...this.queue.values()].slice(0, ctx.batch ?? 256);
    batch.forEach((ref) => this.queue.delete(ref.uuid));
    for (const [ref, info] of await readDomains(ctx, [...refs, ...batch]))
      changed = this.apply(ref, info) || changed;
    if (this.queue.size === 0) {
      // The view is whole and current again: only now is a fault over.
      changed ||= !this.complete;
      this.complete = true;
      this.ports = undefined;
      this.loaded?.();
      ctx.faults.clear("connection");
    }
    this.down = false;
    if (changed && (this.complete || this.ports)) this.publish();
  }

  /** Applies one read, unless an event named the domain meanwhile; true if it changed. */
  private apply(ref: DomainRef, info: DomainInfo | undefined | typeof KEPT): boolean {
    if (info === KEPT && ref.uuid === undefined) this.mark("list"); // not known: found by listing
    if (info === KEPT || this.marks.has(`domain ${info?.name ?? ref.name}`)) return false;
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
    if (known && this.uuids.get(known.name) === uuid) this.uuids.delete(known.name);
    return this.domains.delete(uuid);
  }

  /** Queues first the domains not read yet owning the asking addresses (first load: ports). */
  private async queueOwners(): Promise<void> {
    const asking = new Set(this.asking);
    this.asking.clear();
    if (this.complete || this.ports === null || asking.size === 0) return;
    const keys = portKeysOf(this.networks, asking);
    if (keys.length > 0) this.ports ??= await readPorts(this.options, this.networks.keys());
    const owners = keys.flatMap((key) => this.ports?.get(key) ?? []);
    const first = owners.filter((uuid) => !this.domains.has(uuid)).map((uuid) => ({ uuid }));
    // A Map keeps the first place of a key (and its last value: as queued already).
    this.queue = new Map([...first.map((ref) => [ref.uuid, ref] as const), ...this.queue]);
  }

  private publish(): void {
    const [{ id: source, faults, networks, ports }, { uri, backoff }] = [this, this.options];
    const now = Date.now();
    try {
      const view = buildView({ source, networks, domains: this.domains.values(), now, ports });
      const conflicts = view.conflicts.map(({ address, claimants }) => {
        const message = `${address} is claimed by ${claimants.join(" and ")}; serving none of them`;
        return faults.raise(`conflict:${address}`, message, false);
      });
      faults.clearAllBut("conflict:", new Set(conflicts));
      this.sink?.publish(source, view.identities);
      faults.clear("publish");
      this.viewAt = Infinity;
      for (const { expiresAt = Infinity } of view.identities)
        this.viewAt = Math.min(this.viewAt, expiresAt + 1);
    } catch (error) {
      faults.raise("publish", `cannot publish the view of ${uri}: ${(error as Error).message}`);
      this.viewAt = now + backoff.initialMs;
    }
  }

  private readonly failed = (error: unknown): false => {
    if (this.stopped) return false;
    const message = error instanceof Error ? error.message : String(error);
    const { faults, uri, session } = this.options;
    faults.raise("connection", `cannot read libvirt at ${uri}: ${message}`);
    session.abort(message);
    this.down = true;
    [this.marks, this.asking, this.queue].forEach((marks) => marks.clear());
    this.marks.add("all");
    this.loaded?.();
    return false;
  };

  /** Waits until woken, or `ms` passed (held: keeps the process alive); true when it ran out. */
  private sleep(ms: number, hold = true): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wait = Math.min(Math.max(ms, 0), 2 ** 31 - 1);
      const timer = ms === Infinity ? undefined : setTimeout(() => this.wake?.(true), wait);
      if (!hold) timer?.unref();
      this.wake = (timedOut = false) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(timedOut);
      };
    });
  }
}
