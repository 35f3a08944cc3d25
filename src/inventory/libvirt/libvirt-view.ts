/**
 * From libvirt's state (domains, networks, leases) to the identities one connection serves.
 * Pure: the source calls it after every change and publishes the result whole, so an address
 * that moved to another guest is never served to both, and never to the old one once the
 * new view is out.
 */
import type { Identity, Instance } from "../instance.js";
import type { DomainInfo } from "./domain-xml.js";
import { currentLeases } from "./leases.js";
import type { NetworkState } from "./network-state.js";

/** Everything one connection knows. */
export interface ViewInput {
  /** Instance.source for what this connection serves, e.g. "libvirt qemu:///system". */
  readonly source: string;
  /** The configured networks that exist, by name. */
  readonly networks: ReadonlyMap<string, NetworkState>;
  readonly domains: Iterable<DomainInfo>;
  readonly now: number;
}

/** An address more than one domain could hold: served to none of them. */
export interface Conflict {
  readonly address: string;
  /** Domain names, sorted. */
  readonly claimants: readonly string[];
}

/** What to publish, and what to warn about. */
export interface View {
  readonly identities: readonly Identity[];
  readonly conflicts: readonly Conflict[];
}

/** One domain's hold on one address; `expiresAt` is Infinity for a reservation. */
interface Claim {
  readonly domain: DomainInfo;
  readonly network: string;
  readonly mac: string;
  readonly address: string;
  expiresAt: number;
}

/**
 * Reservations and leases count only for running (active) domains. A stopped guest cannot be
 * the one asking: whoever asks from its address (a lease that lingers in dnsmasq and passed to
 * someone else, an address configured by hand) must not get its identity and user-data. A
 * guest that starts is read again (its Started event, or the look an unknown client causes).
 * An address that two domains could hold is served to neither.
 */
export function buildView(input: ViewInput): View {
  const owners = ownersByMac(input);
  // Per address, each domain's claim (almost always exactly one).
  const claims = new Map<string, Claim[]>();
  const contested = new Map<string, Set<string>>();
  const contest = (address: string, names: Iterable<string>) => {
    const set = contested.get(address) ?? new Set<string>();
    for (const name of names) set.add(name);
    contested.set(address, set);
  };

  const claim = (network: string, mac: string, address: string, expiresAt: number) => {
    const candidates = owners.get(ownerKey(network, mac)) ?? [];
    const domain = pickOwner(candidates);
    if (domain === "ambiguous") return contest(address, candidateNames(candidates));
    if (domain === undefined) return;
    const list = claims.get(address);
    const earlier = list?.find((c) => c.domain === domain);
    if (earlier) earlier.expiresAt = Math.max(earlier.expiresAt, expiresAt);
    else if (list) list.push({ domain, network, mac, address, expiresAt });
    else claims.set(address, [{ domain, network, mac, address, expiresAt }]);
  };

  for (const [name, state] of input.networks) {
    for (const r of state.info.reservations) claim(name, r.mac, r.address, Infinity);
    for (const l of currentLeases(state.leases, input.now))
      claim(name, l.mac, l.address, l.expiresAt ?? Infinity);
  }

  const held = new Map<DomainInfo, Claim[]>();
  for (const [address, list] of claims) {
    if (list.length > 1 || contested.has(address)) {
      contest(address, candidateNames(list.map((c) => c.domain)));
      continue;
    }
    const only = list[0]!;
    const mine = held.get(only.domain);
    if (mine) mine.push(only);
    else held.set(only.domain, [only]);
  }

  const identities: Identity[] = [];
  for (const [domain, list] of held) identities.push(...identitiesOf(input.source, domain, list));
  return {
    identities,
    conflicts: [...contested]
      .map(([address, names]) => ({ address, claimants: [...names].sort() }))
      .sort((a, b) => a.address.localeCompare(b.address)),
  };
}

function identitiesOf(source: string, domain: DomainInfo, held: readonly Claim[]): Identity[] {
  const instance: Instance = {
    name: domain.name,
    uuid: domain.uuid,
    interfaces: domain.interfaces.map((iface) => ({
      mac: iface.mac,
      network: iface.network,
      addresses: addressesOf(held, iface.mac, iface.network),
    })),
    source,
    architecture: domain.architecture,
    metadataXml: domain.metadataXml,
  };
  return held.map((c) => ({
    instance,
    address: c.address,
    mac: c.mac,
    expiresAt: c.expiresAt === Infinity ? undefined : c.expiresAt,
  }));
}

/** The addresses held through one interface, in order. */
function addressesOf(held: readonly Claim[], mac: string, network: string | undefined): string[] {
  const addresses: string[] = [];
  for (const c of held) if (c.mac === mac && c.network === network) addresses.push(c.address);
  return addresses.length > 1 ? addresses.sort() : addresses;
}

function candidateNames(domains: readonly DomainInfo[]): string[] {
  return domains.map((d) => d.name);
}

function ownerKey(network: string, mac: string): string {
  return `${network} ${mac}`;
}

/** Running domains by (network, MAC) of their interfaces on the configured networks. */
function ownersByMac(input: ViewInput): Map<string, DomainInfo[]> {
  const owners = new Map<string, DomainInfo[]>();
  for (const domain of input.domains) {
    if (!domain.active) continue;
    for (const iface of domain.interfaces) {
      if (iface.network === undefined || !input.networks.has(iface.network)) continue;
      const list = owners.get(ownerKey(iface.network, iface.mac)) ?? [];
      if (!list.includes(domain)) list.push(domain);
      owners.set(ownerKey(iface.network, iface.mac), list);
    }
  }
  return owners;
}

/**
 * libvirt lets two domains share a MAC as long as they do not run together: the running one
 * owns it. Two running ones cannot be told apart.
 */
function pickOwner(running: readonly DomainInfo[]): DomainInfo | "ambiguous" | undefined {
  return running.length <= 1 ? running[0] : "ambiguous";
}
