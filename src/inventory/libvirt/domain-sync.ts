/**
 * One connection's domains, kept current: a full load reads every domain's XML; a reconcile
 * (an unknown client asked, an event stream opened) reads only what was added, removed,
 * started or stopped; a domain event forgets or marks the domain at once and reads it again.
 * Reads and events race; domain-table.ts decides which wins.
 */
import type { DomainInfo } from "./domain-xml.js";
import { DomainTable } from "./domain-table.js";
import { eventAction, type LibvirtEvent } from "./events.js";
import type { Faults } from "./faults.js";
import { errorText, isAboutOneObject, type LibvirtReader } from "./libvirt-reader.js";
import { SerialTasks } from "./serial-tasks.js";
import { virshArg } from "./virsh-framing.js";

/** Where domains are read and whom to tell. */
export interface DomainSyncOptions {
  readonly uri: string;
  /** For full loads and reconciles. */
  readonly reader: LibvirtReader;
  /**
   * For the re-reads events ask for: urgent commands, not queued behind a full load's. (An
   * event stamps its domain, so an older read cannot undo a newer one, whichever ends first.)
   */
  readonly quickReader: LibvirtReader;
  readonly faults: Faults;
  /** A bulk read changed the domains: publish now (a waiting request looks right after). */
  changed(): void;
  /** An event, or the re-read it asked for, changed the domains: publish soon. */
  changedSoon(): void;
  /** libvirt could not be reached. */
  failed(error: unknown): void;
  stopped(): boolean;
}

/** The domains of one connection (see the module comment). */
export class DomainSync {
  private readonly table = new DomainTable();
  /** Full loads and reconciles, one after another (see serial-tasks.ts). */
  private readonly bulk = new SerialTasks();
  private readonly dirty = new Set<string>();
  private rereads: Promise<void> | undefined;
  private loading = false;

  constructor(private readonly options: DomainSyncOptions) {}

  /** Every domain known now. */
  domains(): Iterable<DomainInfo> {
    return this.table.values();
  }

  /** Runs a full load (`task`, which calls loadAll) after the bulk reads queued before it. */
  fullLoad(task: () => Promise<void>): Promise<void> {
    return this.bulk.run("full", async () => {
      this.loading = true;
      try {
        await task();
      } finally {
        this.loading = false;
      }
    });
  }

  /** True while a full load runs (a reconcile asked for now waits until it has ended). */
  get fullLoadRunning(): boolean {
    return this.loading;
  }

  /**
   * Reads every domain and replaces the table (see DomainTable.replaceAll). Throws when
   * libvirt cannot be reached. Only from within fullLoad().
   */
  async loadAll(): Promise<void> {
    const ticket = this.table.begin();
    try {
      const uuids = await this.options.reader.domainUuids(false);
      this.forgetFaultsOfOthers(uuids);
      const domains = await Promise.all(
        uuids.map((uuid) => this.read(uuid, this.table.byUuid(uuid), { uuid })),
      );
      this.table.replaceAll(
        domains.filter((d): d is DomainInfo => d !== undefined),
        ticket,
      );
    } finally {
      this.table.end(ticket);
    }
  }

  /**
   * Compares the domain list with the table and reads only what is new, gone or has started
   * or stopped: two list commands plus a dumpxml per difference.
   */
  reconcile(): Promise<void> {
    return this.bulk.run("reconcile", async () => {
      const { reader } = this.options;
      const ticket = this.table.begin();
      try {
        const [all, active] = await Promise.all([
          reader.domainUuids(false),
          reader.domainUuids(true),
        ]);
        this.forgetFaultsOfOthers(all);
        const listed = new Set(all);
        const running = new Set(active);
        const stale = all.filter((uuid) => this.table.byUuid(uuid)?.active !== running.has(uuid));
        const gone = [...this.table.values()].filter((d) => !listed.has(d.uuid));
        const read = await Promise.all(
          stale.map(async (uuid) => {
            const known = this.table.byUuid(uuid);
            const info = await this.read(uuid, known, { uuid });
            return { name: info?.name ?? known?.name, info };
          }),
        );
        let changed = false;
        for (const { name, info } of read)
          if (name !== undefined) changed = this.table.applyRead(name, info, ticket) || changed;
        for (const domain of gone)
          changed = this.table.applyRead(domain.name, undefined, ticket) || changed;
        if (changed) this.options.changed();
      } catch (error) {
        this.options.failed(error);
      } finally {
        this.table.end(ticket);
      }
    });
  }

  /**
   * A domain event: forget or stop the domain at once if it says so, and read it again.
   * Returns false for an event that changes nothing mdserver serves.
   */
  onEvent(event: LibvirtEvent): boolean {
    const action = eventAction(event);
    if (action === "ignore") return false;
    this.table.touch(event.name);
    if (action === "drop" && this.table.drop(event.name)) this.options.changedSoon();
    if (action === "deactivate" && this.table.deactivate(event.name)) this.options.changedSoon();
    // Even after "Undefined": a running domain that was undefined lives on as a transient one.
    this.reread(event.name);
    return true;
  }

  /**
   * One domain's XML, by UUID or (quoted) name. A reply that is not usable XML, or another
   * error about this one domain, keeps what was known of it (`known`): one broken domain must
   * not hide the rest. Its fault is keyed by its UUID however it was read, so that any later
   * good read clears it.
   */
  private async read(
    ref: string,
    known: DomainInfo | undefined,
    { uuid = known?.uuid, quick = false }: { uuid?: string | undefined; quick?: boolean } = {},
  ): Promise<DomainInfo | undefined> {
    const { reader, quickReader, faults, uri } = this.options;
    try {
      const info = await (quick ? quickReader : reader).domain(ref);
      const id = info?.uuid ?? uuid;
      if (id !== undefined) faults.clear(`domain:${id}`);
      return info;
    } catch (error) {
      if (!isAboutOneObject(error)) throw error;
      // Named by an event, and not known: a reconcile finds it by UUID, and reports it so.
      if (uuid === undefined) void this.reconcile();
      else faults.raise(`domain:${uuid}`, `domain ${uuid} on ${uri}: ${errorText(error)}`);
      return known;
    }
  }

  /** Clears the faults of domains not in a full listing: they are gone. */
  private forgetFaultsOfOthers(listed: readonly string[]): void {
    this.options.faults.clearAllBut("domain:", new Set(listed.map((uuid) => `domain:${uuid}`)));
  }

  /** Reads a domain again by name (batched with others named meanwhile). */
  private reread(name: string): void {
    this.dirty.add(name);
    this.rereads ??= this.readDirty().finally(() => {
      this.rereads = undefined;
    });
  }

  private async readDirty(): Promise<void> {
    while (this.dirty.size > 0 && !this.options.stopped()) {
      const names = [...this.dirty];
      this.dirty.clear();
      const ticket = this.table.begin();
      try {
        const results = await Promise.allSettled(names.map((name) => this.readByName(name)));
        let changed = false;
        let failure: unknown;
        results.forEach((result, i) => {
          if (result.status === "rejected") failure ??= result.reason;
          else if (result.value !== "unaddressable")
            changed = this.table.applyRead(names[i]!, result.value, ticket) || changed;
        });
        if (changed) this.options.changedSoon();
        if (failure !== undefined) this.options.failed(failure);
      } finally {
        this.table.end(ticket);
      }
    }
  }

  private async readByName(name: string): Promise<DomainInfo | undefined | "unaddressable"> {
    const ref = virshArg(name);
    if (ref !== undefined) return this.read(ref, this.table.get(name), { quick: true });
    // A name virsh cannot be given on one line: find the domain by UUID instead.
    void this.reconcile();
    return "unaddressable";
  }
}
