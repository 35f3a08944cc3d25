/**
 * Reads the configured networks of one connection: each network's XML (bridge, reservations),
 * libvirt's current leases, and, for a local libvirt, the lease files the original read.
 * Faults about one network are recorded (once) and what was known of it is kept; a lost
 * connection is thrown for the source to handle.
 */
import type { Logger } from "../../log/logger.js";
import { isLocalUri } from "./connection-uri.js";
import type { Faults } from "./faults.js";
import { leaseFileNames, readLeaseFiles } from "./lease-files.js";
import type { Lease } from "./leases.js";
import { errorText, isAboutOneObject, type LibvirtReader } from "./libvirt-reader.js";
import type { NetworkState } from "./network-state.js";
import { virshArg } from "./virsh-framing.js";

/** What the loader reads from and reports to. */
export interface NetworkLoaderOptions {
  readonly uri: string;
  /** dnsmasq.net_name. */
  readonly networks: readonly string[];
  /** dnsmasq.base_dir. */
  readonly baseDir: string;
  readonly reader: LibvirtReader;
  readonly faults: Faults;
  readonly log: Logger;
}

/** Reads networks and their leases (see the module comment). */
export class NetworkLoader {
  private unsupportedLogged = false;

  constructor(private readonly options: NetworkLoaderOptions) {}

  /** Every configured network that exists; `previous` is what to keep on a fault. */
  async read(previous: ReadonlyMap<string, NetworkState>): Promise<Map<string, NetworkState>> {
    const { networks: names, uri, faults } = this.options;
    const result = new Map<string, NetworkState>();
    await Promise.all(
      names.map(async (name) => {
        const state = await this.readOne(name, previous.get(name));
        if (state !== undefined) result.set(name, state);
      }),
    );
    if (result.size === 0 && names.length > 0) {
      faults.raise(
        "networks",
        `none of the networks ${names.join(", ")} exists on ${uri}: no guest can be identified`,
      );
    } else {
      faults.clear("networks");
    }
    return result;
  }

  /** The lease file names worth watching, given the networks as last read. */
  leaseFiles(networks: ReadonlyMap<string, NetworkState>): string[] {
    if (!isLocalUri(this.options.uri)) return [];
    return this.options.networks.flatMap((net) =>
      leaseFileNames(net, networks.get(net)?.info.bridge),
    );
  }

  private async readOne(
    name: string,
    previous: NetworkState | undefined,
  ): Promise<NetworkState | undefined> {
    const { reader, faults, uri } = this.options;
    const ref = virshArg(name);
    if (ref === undefined) return undefined;
    const [info, leases] = await Promise.all([
      reader.network(ref).catch((error: unknown) => {
        if (!isAboutOneObject(error)) throw error;
        faults.raise(`network:${name}`, `network ${name} on ${uri}: ${errorText(error)}`);
        return null;
      }),
      this.readLeases(ref, name, previous?.leases),
    ]);
    if (info === null) return previous;
    if (info === undefined) {
      // Missing on one of several hosts is normal; missing everywhere is the "networks" fault.
      faults.raise(`network:${name}`, `network ${name} not found on ${uri}`, false);
      return undefined;
    }
    faults.clear(`network:${name}`);
    const fromFiles = await this.readLeaseFiles(name, info.bridge);
    return { info, leases: [...leases, ...fromFiles] };
  }

  /** libvirt's leases for a network; on an error, the ones known before (they still expire). */
  private async readLeases(
    ref: string,
    name: string,
    previous: readonly Lease[] = [],
  ): Promise<readonly Lease[]> {
    const key = `leases:${name}`;
    try {
      const leases = await this.options.reader.leases(ref);
      this.options.faults.clear(key);
      if (leases === undefined && !this.unsupportedLogged) {
        this.unsupportedLogged = true;
        this.options.log.debug(
          { network: name },
          "no DHCP leases from this driver; using reservations and lease files",
        );
      }
      return leases ?? [];
    } catch (error) {
      if (!isAboutOneObject(error)) throw error;
      this.options.faults.raise(
        key,
        `leases of ${name} on ${this.options.uri}: ${errorText(error)}`,
      );
      return previous;
    }
  }

  /** The lease files' leases (a local libvirt only: a remote host's files are not here). */
  private async readLeaseFiles(network: string, bridge: string | undefined): Promise<Lease[]> {
    const { uri, baseDir, faults } = this.options;
    if (!isLocalUri(uri)) return [];
    const { leases, problems } = await readLeaseFiles(baseDir, network, bridge);
    const faulty = new Set<string>();
    for (const problem of problems) {
      const key = `lease-file:${problem.file}`;
      faulty.add(key);
      faults.raise(key, `lease file ${problem.file}: ${problem.message}`, false);
    }
    for (const name of leaseFileNames(network, bridge)) {
      const key = `lease-file:${baseDir}/${name}`;
      if (!faulty.has(key)) faults.clear(key);
    }
    return leases;
  }
}
