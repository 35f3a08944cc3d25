/**
 * What one connection knows of libvirt (running domains, configured networks and their
 * leases, ports while the first load runs), and the reads that change it. Only the loop
 * (reconcile-loop.ts) calls these, one at a time: it is the only writer. A fault about one
 * domain, network or lease file is recorded (logged once) and what was known of it is kept;
 * a lost connection is thrown for the loop to handle.
 */
import type { FSWatcher } from "node:fs";
import type { Faults } from "./faults.js";
import type { DomainInfo } from "./domain-xml.js";
import { isLocalUri } from "./connection-uri.js";
import { leaseFileNames, readLeaseFiles, watchLeaseFiles } from "./lease-files.js";
import { errorText, isAboutOneObject, type LibvirtReader } from "./libvirt-reader.js";
import { buildView, portKey, type NetworkState, type View } from "./libvirt-view.js";
import { virshArg } from "./virsh-framing.js";

/** Where to read and whom to tell. */
export interface LibvirtStateOptions {
  /** The source's id: Instance.source of what it serves. */
  readonly id: string;
  readonly uri: string;
  /** dnsmasq.net_name. */
  readonly networks: readonly string[];
  /** dnsmasq.base_dir: lease files, read (and watched) only for a local URI. */
  readonly baseDir: string;
  readonly reader: LibvirtReader;
  readonly faults: Faults;
  /** Watch the lease files; called when one changes. */
  readonly leaseFilesChanged?: (() => void) | undefined;
  /** A domain could only be found by listing them all again (see readDomains). */
  relist(): void;
}

/** A read that failed for one object: what was known of it stays. */
const KEPT = Symbol("kept");

/** One connection's view of libvirt (see the module comment). */
export class LibvirtState {
  /** The first full load has ended: every running domain has been read. */
  complete = false;
  /** Running domains by UUID: stopped ones are never served, so never kept. */
  private readonly domains = new Map<string, DomainInfo>();
  private readonly uuidByName = new Map<string, string>();
  private networks: ReadonlyMap<string, NetworkState> = new Map();
  private networksText = "[]";
  /** "network mac" → owner UUIDs, read when a guest asks during the first load. */
  private ports: Map<string, string[]> | undefined;
  private noPorts = false;
  private watcher: FSWatcher | undefined;

  constructor(private readonly options: LibvirtStateOptions) {}

  /** True when a view can be built: every domain is known, or ports tell who owns what. */
  get canPublish(): boolean {
    return this.complete || this.ports !== undefined;
  }

  /** Marks the first load done (ports are not needed after it). */
  loaded(): void {
    this.complete = true;
    this.ports = undefined;
  }

  /** The identities to serve now. */
  view(now: number): View {
    const { id: source } = this.options;
    const ports = this.complete ? undefined : this.ports;
    return buildView({
      source,
      networks: this.networks,
      domains: this.domains.values(),
      now,
      ports,
    });
  }

  /** Reads every configured network (XML, leases, lease files); true when anything changed. */
  async readNetworks(): Promise<boolean> {
    const { networks: names, faults, uri } = this.options;
    const next = new Map<string, NetworkState>();
    const states = await Promise.all(names.map((name) => this.readNetwork(name)));
    states.forEach((state, i) => state && next.set(names[i]!, state));
    if (next.size === 0 && names.length > 0) {
      const message = `none of the networks ${names.join(", ")} exists on ${uri}: no guest can be identified`;
      faults.raise("networks", message);
    } else faults.clear("networks");
    this.watchLeaseFiles();
    const text = JSON.stringify([...next]);
    if (text === this.networksText) return false;
    this.networks = next;
    this.networksText = text;
    return true;
  }

  /**
   * Lists the running domains and forgets the others. Returns the UUIDs to read: every one
   * (`all`), or those not known yet.
   */
  async list(all: boolean): Promise<{ changed: boolean; read: string[] }> {
    const running = await this.options.reader.runningDomains();
    const listed = new Set(running);
    this.options.faults.clearAllBut("domain:", new Set(running.map((uuid) => `domain:${uuid}`)));
    let changed = false;
    for (const domain of this.domains.values())
      if (!listed.has(domain.uuid)) changed = this.forget(domain.uuid) || changed;
    return { changed, read: all ? running : running.filter((uuid) => !this.domains.has(uuid)) };
  }

  /**
   * Reads domains by UUID, or by name (events name them), and applies each read unless
   * `skip(name)` (an event about it came meanwhile: it is read again anyway). True when
   * anything changed. A domain that cannot be read by name and is not known by UUID (a name
   * virsh cannot be given, or XML that does not parse) is found by listing again.
   */
  async readDomains(
    refs: readonly string[],
    byName: boolean,
    skip: (name: string) => boolean,
  ): Promise<boolean> {
    const reads = await Promise.all(refs.map((ref) => this.readDomain(ref, byName)));
    let changed = false;
    reads.forEach((info, i) => {
      const uuid = byName ? this.uuidByName.get(refs[i]!) : refs[i]!;
      const name = info === KEPT ? undefined : (info?.name ?? (byName ? refs[i] : undefined));
      if (info === KEPT || (name !== undefined && skip(name))) return;
      changed = this.apply(uuid, info) || changed;
    });
    return changed;
  }

  /**
   * The UUIDs of the running domains, not read yet, that own the MACs holding these addresses
   * (leases, reservations), as libvirt's network ports tell; only while the first load runs
   * (afterwards a listing finds new domains), and not on drivers without ports.
   */
  async ownersOf(addresses: readonly string[]): Promise<string[]> {
    if (this.complete || this.noPorts) return [];
    const keys = new Set<string>();
    for (const [name, { info, leases }] of this.networks)
      for (const held of [...info.reservations, ...leases])
        if (addresses.includes(held.address)) keys.add(portKey(name, held.mac));
    if (keys.size === 0) return [];
    this.ports ??= await this.readPorts();
    const owners = [...keys].flatMap((key) => this.ports?.get(key) ?? []);
    return owners.filter((uuid) => !this.domains.has(uuid));
  }

  /** Stops watching the lease files. */
  stop(): void {
    this.watcher?.close();
  }

  private async readPorts(): Promise<Map<string, string[]> | undefined> {
    const ports = new Map<string, string[]>();
    for (const name of this.networks.keys()) {
      const what = `ports of ${name} on ${this.options.uri}`;
      const list = await this.attempt(`ports:${name}`, what, () =>
        this.options.reader.ports(virshArg(name) ?? ""),
      );
      if (list === KEPT) return undefined;
      if (list === undefined) return void (this.noPorts = true);
      for (const { mac, owner } of list) {
        const key = portKey(name, mac);
        ports.set(key, [...(ports.get(key) ?? []), owner]);
      }
    }
    return ports;
  }

  private async readDomain(ref: string, byName: boolean) {
    const arg = byName ? virshArg(ref) : ref;
    const uuid = byName ? this.uuidByName.get(ref) : ref;
    // A name virsh cannot be given on one line: the listing finds it by UUID.
    if (arg === undefined) {
      this.options.relist();
      return KEPT;
    }
    const { reader, faults, uri } = this.options;
    try {
      const info = await reader.domain(arg);
      const id = info?.uuid ?? uuid;
      if (id !== undefined) faults.clear(`domain:${id}`);
      return info;
    } catch (error) {
      if (!isAboutOneObject(error)) throw error;
      // Named by an event, and not known: the listing reads it by UUID, and reports it so.
      if (uuid === undefined) this.options.relist();
      else faults.raise(`domain:${uuid}`, `domain ${uuid} on ${uri}: ${errorText(error)}`);
      return KEPT;
    }
  }

  /**
   * Applies a read of the domain known as `uuid` (if it was): its XML, or undefined when
   * libvirt no longer has it. A domain that stopped is forgotten; one whose XML is the same as
   * before keeps its object.
   */
  private apply(uuid: string | undefined, info: DomainInfo | undefined): boolean {
    const before = uuid === undefined ? undefined : this.domains.get(uuid);
    if (info?.active && before && JSON.stringify(before) === JSON.stringify(info)) return false;
    let changed = uuid !== undefined && this.forget(uuid);
    if (!info?.active) return changed;
    // A rename keeps the UUID; a name taken over by another UUID is the other domain's now.
    changed = this.forget(info.uuid) || changed;
    const holder = this.uuidByName.get(info.name);
    if (holder !== undefined) this.forget(holder);
    this.domains.set(info.uuid, info);
    this.uuidByName.set(info.name, info.uuid);
    return true;
  }

  private forget(uuid: string): boolean {
    const known = this.domains.get(uuid);
    if (known === undefined) return false;
    this.domains.delete(uuid);
    if (this.uuidByName.get(known.name) === uuid) this.uuidByName.delete(known.name);
    return true;
  }

  private async readNetwork(name: string): Promise<NetworkState | undefined> {
    const { reader, faults, uri } = this.options;
    const ref = virshArg(name);
    const previous = this.networks.get(name);
    if (ref === undefined) return undefined;
    const [info, leases] = await Promise.all([
      this.attempt(`network:${name}`, `network ${name} on ${uri}`, () => reader.network(ref)),
      this.attempt(`leases:${name}`, `leases of ${name} on ${uri}`, () => reader.leases(ref)),
    ]);
    if (info === KEPT) return previous;
    // Missing on one of several hosts is normal; missing everywhere is the "networks" fault.
    if (info === undefined)
      return void faults.raise(`network:${name}`, `network ${name} not found on ${uri}`, false);
    const fromFiles = await this.readLeaseFiles(name, info.bridge);
    const known = leases === KEPT ? (previous?.leases ?? []) : (leases ?? []);
    return { info, leases: [...known, ...fromFiles] };
  }

  /** The lease files' leases (a local libvirt only: a remote host's files are not here). */
  private async readLeaseFiles(network: string, bridge: string | undefined) {
    const { uri, baseDir, faults } = this.options;
    if (!isLocalUri(uri)) return [];
    const { leases, problems } = await readLeaseFiles(baseDir, network, bridge);
    const faulty = new Set(problems.map((p) => `lease-file:${p.file}`));
    for (const p of problems)
      faults.raise(`lease-file:${p.file}`, `lease file ${p.file}: ${p.message}`, false);
    for (const file of leaseFileNames(network, bridge)) {
      const key = `lease-file:${baseDir}/${file}`;
      if (!faulty.has(key)) faults.clear(key);
    }
    return leases;
  }

  /** Watches the lease files, if asked to and not watching yet (again after a failure). */
  private watchLeaseFiles(): void {
    const { leaseFilesChanged, uri, baseDir, networks, faults } = this.options;
    if (!leaseFilesChanged || this.watcher !== undefined || !isLocalUri(uri)) return;
    const files = () =>
      networks.flatMap((n) => leaseFileNames(n, this.networks.get(n)?.info.bridge));
    const failed = (error: unknown) => {
      this.watcher = undefined;
      // Not degrading: the periodic lease re-read (lease_refresh_interval) still finds changes.
      faults.raise(
        "lease-watch",
        `cannot watch the lease files in ${baseDir}: ${errorText(error)}`,
        false,
      );
    };
    try {
      this.watcher = watchLeaseFiles(
        baseDir,
        (f) => files().includes(f),
        leaseFilesChanged,
        failed,
      );
      faults.clear("lease-watch");
    } catch (error) {
      failed(error);
    }
  }

  /** Runs one read about one object; its fault is raised on failure and cleared on success. */
  private async attempt<T>(key: string, what: string, read: () => Promise<T>) {
    try {
      const result = await read();
      this.options.faults.clear(key);
      return result;
    } catch (error) {
      if (!isAboutOneObject(error)) throw error;
      this.options.faults.raise(key, `${what}: ${errorText(error)}`);
      return KEPT;
    }
  }
}
