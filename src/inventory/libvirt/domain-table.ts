/**
 * The domains one connection has, kept current from full loads, single re-reads and events.
 *
 * Reads take time and events arrive meanwhile, so every event about a name is stamped, and a
 * read begun before the latest stamp for its name is thrown away: an "Undefined" event must
 * not be undone by a dumpxml answered just before it. The name is re-read anyway, because
 * the event asked for that.
 */
import type { DomainInfo } from "./domain-xml.js";

/** A read in progress: when it began on the table's clock. */
export interface ReadTicket {
  readonly startedAt: number;
}

/** Domains by name (and UUID), with the event stamps that keep stale reads out. */
export class DomainTable {
  private readonly byName = new Map<string, DomainInfo>();
  private readonly nameByUuid = new Map<string, string>();
  private clock = 0;
  private readonly stamps = new Map<string, number>();
  /** Reads begun and not yet ended, counted by start time. */
  private readonly open = new Map<number, number>();

  /** Every domain, in no particular order. */
  values(): IterableIterator<DomainInfo> {
    return this.byName.values();
  }

  /** The domain with this name, if known. */
  get(name: string): DomainInfo | undefined {
    return this.byName.get(name);
  }

  /** The domain with this UUID, if known. */
  byUuid(uuid: string): DomainInfo | undefined {
    const name = this.nameByUuid.get(uuid);
    return name === undefined ? undefined : this.byName.get(name);
  }

  /** Records that an event about `name` arrived: reads begun before it no longer count. */
  touch(name: string): void {
    this.stamps.set(name, ++this.clock);
  }

  /** Starts a read: pass the ticket to applyRead/replaceAll, then to end() in any case. */
  begin(): ReadTicket {
    this.open.set(this.clock, (this.open.get(this.clock) ?? 0) + 1);
    return { startedAt: this.clock };
  }

  /** Ends a read (applied, or failed). */
  end(ticket: ReadTicket): void {
    const left = (this.open.get(ticket.startedAt) ?? 1) - 1;
    if (left > 0) this.open.set(ticket.startedAt, left);
    else this.open.delete(ticket.startedAt);
    if (this.open.size === 0) this.prune();
  }

  /** Forgets a domain at once (its "Undefined" event). */
  drop(name: string): boolean {
    const known = this.byName.get(name);
    if (known === undefined) return false;
    this.remove(known);
    return true;
  }

  /** Marks a domain stopped at once (its "Stopped" event), so its addresses stop counting. */
  deactivate(name: string): boolean {
    const domain = this.byName.get(name);
    if (domain === undefined || !domain.active) return false;
    this.byName.set(name, { ...domain, active: false });
    return true;
  }

  /**
   * Applies a read of one domain: its XML, or undefined when libvirt no longer has it.
   * Returns whether the table changed: not when an event about it came after the read began.
   */
  applyRead(name: string, info: DomainInfo | undefined, ticket: ReadTicket): boolean {
    if ((this.stamps.get(name) ?? 0) > ticket.startedAt) return false;
    const present = this.byName.get(name);
    if (present === info) return false;
    this.drop(name);
    if (info !== undefined) this.add(info);
    return true;
  }

  /**
   * Replaces the whole table with a full listing, except for names with events since it
   * began: those keep their present entry (or absence) and are re-read.
   */
  replaceAll(listing: Iterable<DomainInfo>, ticket: ReadTicket): void {
    const recent = new Set<string>();
    for (const [name, at] of this.stamps) if (at > ticket.startedAt) recent.add(name);
    const kept = [...recent].flatMap((name) => this.byName.get(name) ?? []);
    this.byName.clear();
    this.nameByUuid.clear();
    for (const info of listing) if (!recent.has(info.name)) this.add(info);
    for (const info of kept) this.add(info);
  }

  private add(info: DomainInfo): void {
    // A rename keeps the UUID: the entry under the old name is the same domain.
    const previous = this.byUuid(info.uuid);
    if (previous !== undefined) this.remove(previous);
    this.byName.set(info.name, info);
    this.nameByUuid.set(info.uuid, info.name);
  }

  private remove(info: DomainInfo): void {
    this.byName.delete(info.name);
    if (this.nameByUuid.get(info.uuid) === info.name) this.nameByUuid.delete(info.uuid);
  }

  /** Stamps older than every open read can no longer reject anything: forget them. */
  private prune(): void {
    const oldest = Math.min(this.clock, ...this.open.keys());
    for (const [name, at] of this.stamps) if (at <= oldest) this.stamps.delete(name);
  }
}
