/**
 * What one connection knows of libvirt: its running domains, its networks and their leases,
 * and, while the first load runs, who owns which MAC. Changed only by the loop (reconciler.ts),
 * one read at a time.
 */
import type { ReadContext } from "./libvirt-reads.js";
import { KEPT, readDomain, readNetworks, readPorts, runningDomains } from "./libvirt-reads.js";
import { buildView, portKey, type NetworkState, type View } from "./libvirt-view.js";
import type { DomainInfo } from "./libvirt-xml.js";
import { virshArg } from "./virsh-framing.js";

/** One connection's view of libvirt (see the module comment). */
export class LibvirtState {
  /** The first full load has ended: every running domain has been read since start-up. */
  complete = false;
  /** Running domains by UUID (stopped ones are never served, so never kept); UUIDs by name. */
  private readonly domains = new Map<string, DomainInfo>();
  private readonly uuids = new Map<string, string>();
  private networks = new Map<string, NetworkState>();
  /** During the first load, which domains own which MAC (null: the driver has no ports). */
  private ports: Map<string, string[]> | undefined | null;

  constructor(private readonly ctx: ReadContext) {}

  /** True when a view can be built: every domain is known, or the ports tell who owns what. */
  get decided(): boolean {
    return this.complete || !!this.ports;
  }

  /** The first full load has ended. */
  loaded(): void {
    this.complete = true;
    this.ports = undefined;
  }

  /** The view to publish now. */
  view(source: string, now: number): View {
    const ports = this.ports ?? undefined;
    return buildView({
      source,
      networks: this.networks,
      domains: this.domains.values(),
      now,
      ports,
    });
  }

  /** Reads the networks and their leases; true when anything changed. */
  async readNetworks(): Promise<boolean> {
    const next = await readNetworks(this.ctx, this.networks);
    const changed = JSON.stringify([...next]) !== JSON.stringify([...this.networks]);
    this.networks = next;
    return changed;
  }

  /**
   * Lists the running domains and forgets the others; returns whether that changed anything,
   * and the UUIDs to read: all of them, or (`all` false) those not known yet.
   */
  async list(all: boolean): Promise<{ changed: boolean; read: string[] }> {
    const running = await runningDomains(this.ctx);
    const listed = new Set(running);
    this.ctx.faults.clearAllBut("domain:", new Set(running.map((uuid) => `domain:${uuid}`)));
    let changed = false;
    for (const uuid of this.domains.keys())
      if (!listed.has(uuid)) changed = this.forget(uuid) || changed;
    return { changed, read: all ? running : running.filter((uuid) => !this.domains.has(uuid)) };
  }

  /**
   * Reads domains by UUID (or by name, for events) and applies each read unless `skip(name)`
   * (an event named it meanwhile: it is read again). Returns whether anything changed, and
   * whether a domain must be found by listing: one that cannot be read by its name and is not
   * known (a name virsh cannot be given, XML that does not parse).
   */
  async read(refs: readonly string[], byName: boolean, skip: (name: string) => boolean) {
    const uuids = refs.map((ref) => (byName ? this.uuids.get(ref) : ref));
    const args = refs.map((ref) => (byName ? virshArg(ref) : ref));
    const reads = await Promise.all(
      args.map((arg, i) => (arg === undefined ? KEPT : readDomain(this.ctx, arg, uuids[i]))),
    );
    let [changed, relist] = [false, false];
    reads.forEach((info, i) => {
      const uuid = uuids[i];
      if (info === KEPT) return void (relist ||= uuid === undefined);
      if (skip(info?.name ?? (byName ? refs[i]! : ""))) return;
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
    return { changed, relist };
  }

  /**
   * The domains, not read yet, owning the MACs (leases, reservations) of these addresses, as
   * libvirt's ports tell: only during the first load (afterwards a listing finds new domains).
   */
  async owners(addresses: ReadonlySet<string>): Promise<string[]> {
    if (this.complete || this.ports === null) return [];
    const keys = [...this.networks].flatMap(([name, { info, leases }]) =>
      [...info.reservations, ...leases]
        .filter((held) => addresses.has(held.address))
        .map((held) => portKey(name, held.mac)),
    );
    if (keys.length > 0) this.ports ??= await readPorts(this.ctx, this.networks.keys());
    const owners = keys.flatMap((key) => this.ports?.get(key) ?? []);
    return owners.filter((uuid) => !this.domains.has(uuid));
  }

  private forget(uuid: string): boolean {
    const known = this.domains.get(uuid);
    if (known === undefined) return false;
    this.domains.delete(uuid);
    if (this.uuids.get(known.name) === uuid) this.uuids.delete(known.name);
    return true;
  }
}
