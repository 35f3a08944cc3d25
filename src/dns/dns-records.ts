/**
 * What DNS should say about the guests: one record per served address with the guest's names.
 * Pure: from the inventory's instances and the naming settings.
 *
 * Nothing is published that could send a user to the wrong guest: an address two guests
 * claim (the inventory serves neither) gets no record, and a name two guests would share is
 * published for neither. Both, and guest names that map to no host name, come back as notes
 * for the log.
 */
import type { Instance } from "../inventory/instance.js";
import { compareAddresses } from "./address-order.js";
import { namesFor, toHostName, type Naming } from "./host-names.js";

/** One address and its names, and where the address lives. */
export interface DnsRecord {
  readonly address: string;
  readonly names: readonly string[];
  /** The libvirt network of the interface holding the address, when known. */
  readonly network?: string | undefined;
  /** The instance's source, e.g. "static" or "libvirt qemu:///system". */
  readonly source: string;
  readonly instance: string;
}

/** Something left out, worth one log line; `key` stays the same while the cause does. */
export interface DnsNote {
  readonly key: string;
  readonly message: string;
}

/** The records (sorted by address) and what was left out. */
export interface DnsRecords {
  readonly records: readonly DnsRecord[];
  readonly notes: readonly DnsNote[];
}

/** Builds the records for `instances` (see the module comment). */
export function dnsRecords(instances: readonly Instance[], naming: Naming): DnsRecords {
  const notes: DnsNote[] = [];
  const owners = new Map<string, Set<string>>();
  const claim = (map: Map<string, Set<string>>, key: string, uuid: string) =>
    map.set(key, (map.get(key) ?? new Set()).add(uuid));
  for (const instance of instances) {
    for (const iface of instance.interfaces) {
      for (const address of iface.addresses) claim(owners, address, instance.uuid);
    }
  }

  const candidates: Array<{ record: DnsRecord; uuid: string }> = [];
  const nameOwners = new Map<string, Set<string>>();
  for (const instance of instances) {
    const base = toHostName(instance.name);
    if (base === undefined) {
      notes.push({
        key: `name ${instance.uuid}`,
        message: `instance "${instance.name}": its name gives no valid host name; not published in DNS`,
      });
      continue;
    }
    const names = namesFor(base, naming);
    for (const name of names) claim(nameOwners, name, instance.uuid);
    for (const iface of instance.interfaces) {
      for (const address of iface.addresses) {
        if ((owners.get(address)?.size ?? 0) > 1) continue;
        const record = {
          address,
          names,
          network: iface.network,
          source: instance.source,
          instance: instance.name,
        };
        candidates.push({ record, uuid: instance.uuid });
      }
    }
  }

  const shared = new Set<string>();
  for (const [name, uuids] of nameOwners) {
    if (uuids.size < 2) continue;
    shared.add(name);
    notes.push({
      key: `shared ${name}`,
      message: `DNS name ${name} would belong to ${uuids.size} instances; published for none`,
    });
  }
  const records = candidates
    .map(({ record }) => ({ ...record, names: record.names.filter((n) => !shared.has(n)) }))
    .filter((record) => record.names.length > 0)
    .sort((a, b) => compareAddresses(a.address, b.address));
  return { records, notes };
}

/** Each published address's names (for `mdserver list`). */
export function dnsNamesByAddress(
  instances: readonly Instance[],
  naming: Naming,
): Map<string, readonly string[]> {
  return new Map(dnsRecords(instances, naming).records.map((r) => [r.address, r.names]));
}
