/**
 * What DNS should say about the guests: one record per served address with the guest's names.
 * Pure: from the inventory's instances and the naming settings.
 *
 * Nothing is published that could send a user to the wrong guest: an address two guests
 * claim (the inventory serves neither) gets no record, and a name two guests would share is
 * published for neither. Shared names, and guest names that map to no host name, come back
 * as notes for the log.
 */
import type { Instance } from "../inventory/instance.js";
import { sortByAddress } from "./address-order.js";
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

/**
 * Keys held by more than one owner. The usual case (every key its own owner's) costs one map
 * entry per key and no set.
 */
class Claims {
  private readonly first = new Map<string, string>();
  /** Keys claimed by several owners, with how many. */
  readonly shared = new Map<string, number>();

  claim(key: string, owner: string): void {
    const first = this.first.get(key);
    if (first === undefined) this.first.set(key, owner);
    else if (first !== owner) this.shared.set(key, (this.shared.get(key) ?? 1) + 1);
  }
}

/** Tells whether an address is served to that instance (the inventory's view of it). */
export type Serves = (address: string, instance: Instance) => boolean;

/**
 * Builds the records for `instances` (see the module comment). `serves`, when given, has the
 * last word on which addresses are an instance's: an address whose other claimant the
 * instances do not show (it has no other address) is still contested.
 */
export function dnsRecords(
  instances: readonly Instance[],
  naming: Naming,
  serves: Serves = () => true,
): DnsRecords {
  const notes: DnsNote[] = [];
  const addresses = new Claims();
  for (const instance of instances) {
    for (const iface of instance.interfaces) {
      for (const address of iface.addresses) addresses.claim(address, instance.uuid);
    }
  }

  const candidates: DnsRecord[] = [];
  const names = new Claims();
  for (const instance of instances) {
    const base = toHostName(instance.name);
    if (base === undefined) {
      notes.push({
        key: `name ${instance.uuid}`,
        message: `instance "${instance.name}": its name gives no valid host name; not published in DNS`,
      });
      continue;
    }
    const own = namesFor(base, naming);
    // entry_order may name only kinds that are unset: then, as in the original, no line.
    if (own.length === 0) continue;
    for (const name of own) names.claim(name, instance.uuid);
    for (const iface of instance.interfaces) {
      for (const address of iface.addresses) {
        if (addresses.shared.has(address) || !serves(address, instance)) continue;
        const { source, name } = instance;
        candidates.push({ address, names: own, network: iface.network, source, instance: name });
      }
    }
  }

  for (const [name, count] of names.shared) {
    notes.push({
      key: `shared ${name}`,
      message: `DNS name ${name} would belong to ${count} instances; published for none`,
    });
  }
  const published =
    names.shared.size === 0
      ? candidates
      : candidates
          .map((r) => ({ ...r, names: r.names.filter((n) => !names.shared.has(n)) }))
          .filter((r) => r.names.length > 0);
  return { records: sortByAddress(published, (r) => r.address), notes };
}

/** Each published address's names (for `mdserver list`). */
export function dnsNamesByAddress(
  instances: readonly Instance[],
  naming: Naming,
  serves?: Serves,
): Map<string, readonly string[]> {
  return new Map(dnsRecords(instances, naming, serves).records.map((r) => [r.address, r.names]));
}
