/**
 * From libvirt's state to the identities one connection serves. Pure, built whole after every
 * change and published whole, so an address that moved is never served to both guests.
 */
import type { Identity, Instance } from "../instance.js";
import type { Lease } from "./leases.js";
import type { DomainInfo, NetworkInfo } from "./libvirt-xml.js";

/** One configured network as last read: its XML, libvirt's leases and the lease files'. */
export interface NetworkState {
  readonly info: NetworkInfo;
  readonly leases: readonly Lease[];
  readonly fileLeases: readonly Lease[];
}

/** Every hold on an address a network tells of: reservations and leases. */
function holdsOf({ info, leases, fileLeases }: NetworkState): Lease[] {
  return [...info.reservations, ...leases, ...fileLeases];
}

/** Everything one connection knows; `source` is Instance.source of what it serves. */
interface ViewInput {
  readonly source: string;
  readonly networks: ReadonlyMap<string, NetworkState>;
  readonly domains: Iterable<DomainInfo>;
  readonly now: number;
  /** During the first load: the UUIDs of the domains plugged in with each MAC (by `portKey`). */
  readonly ports?: ReadonlyMap<string, readonly string[]> | undefined | null;
}

/** What to publish, and the addresses more than one domain could hold (claimants sorted). */
interface View {
  readonly identities: readonly Identity[];
  readonly conflicts: ReadonlyArray<{ address: string; claimants: string[] }>;
}

/** One domain's hold on one address; `expiresAt` is Infinity for a reservation. */
type Claim = Lease & { readonly domain: DomainInfo; readonly network: string; expiresAt: number };

/** The key of a MAC on a network, in `ViewInput.ports`. */
export const portKey = (network: string, mac: string) => `${network} ${mac}`;

/** The `portKey`s of the MACs holding these addresses (reservations and leases). */
export function portKeysOf(networks: ViewInput["networks"], addresses: ReadonlySet<string>) {
  return [...networks].flatMap(([name, state]) =>
    holdsOf(state)
      .filter((held) => addresses.has(held.address))
      .map((held) => portKey(name, held.mac)),
  );
}

/**
 * Reservations and leases count only for running (active) domains. A stopped guest cannot be
 * the one asking: whoever asks from its address (a lease that lingers in dnsmasq and passed to
 * someone else, an address configured by hand) must not get its identity and user-data.
 * libvirt lets two domains share a MAC as long as they do not run together: the running one
 * owns it. An address that two running domains could hold is served to neither.
 */
export function buildView(input: ViewInput): View {
  const owners = ownersOf(input);
  // Each address with every hold a domain may have on it; undefined once one cannot be told.
  const holds = new Map<string, Claim[] | undefined>();
  for (const [network, state] of input.networks) {
    for (const { mac, address, expiresAt = Infinity } of holdsOf(state)) {
      if (expiresAt <= input.now) continue; // an ended lease
      const list = holds.has(address) ? holds.get(address) : [];
      const domains = list && owners(portKey(network, mac));
      holds.set(address, domains && list);
      for (const domain of domains ?? []) list?.push({ domain, network, mac, address, expiresAt });
    }
  }
  const held = new Map<DomainInfo, Claim[]>();
  const conflicts: Array<{ address: string; claimants: string[] }> = [];
  for (const [address, [first, ...more] = []] of holds) {
    if (first === undefined) continue;
    if (more.some((c) => c.domain !== first.domain)) {
      const names = new Set([first, ...more].map((c) => c.domain.name));
      conflicts.push({ address, claimants: [...names].sort() });
      continue;
    }
    for (const { expiresAt } of more) first.expiresAt = Math.max(first.expiresAt, expiresAt);
    held.set(first.domain, [...(held.get(first.domain) ?? []), first]);
  }
  conflicts.sort((a, b) => a.address.localeCompare(b.address));
  const identities: Identity[] = [];
  for (const [domain, list] of held) identities.push(...identitiesOf(input.source, domain, list));
  return { identities, conflicts };
}

/**
 * The running domains that may own a MAC on a network (by `portKey`); in the first load, by
 * libvirt's ports: none without a port, undefined while a port's domain is not read yet.
 */
function ownersOf(input: ViewInput): (key: string) => DomainInfo[] | undefined {
  const running = new Map<string, DomainInfo[]>();
  const byUuid = new Map<string, DomainInfo>();
  for (const domain of input.domains) {
    if (!domain.active) continue;
    byUuid.set(domain.uuid, domain);
    for (const { network, mac } of domain.interfaces) {
      if (network === undefined || !input.networks.has(network)) continue;
      const list = running.get(portKey(network, mac)) ?? [];
      if (!list.includes(domain)) running.set(portKey(network, mac), [...list, domain]);
    }
  }
  const { ports } = input;
  if (!ports) return (key) => running.get(key) ?? [];
  return (key) => {
    const owners = (ports.get(key) ?? []).map((uuid) => byUuid.get(uuid));
    return owners.every((d) => d !== undefined) ? owners : undefined;
  };
}

function identitiesOf(source: string, domain: DomainInfo, held: readonly Claim[]): Identity[] {
  const { name, uuid, architecture, metadataXml } = domain;
  const interfaces = domain.interfaces.map(({ mac, network }) => {
    const mine = held.filter((c) => c.mac === mac && c.network === network);
    return { mac, network, addresses: mine.map((c) => c.address).sort() };
  });
  const instance: Instance = { name, uuid, interfaces, source, architecture, metadataXml };
  return held.map(({ address, mac, expiresAt }) => {
    return { instance, address, mac, expiresAt: expiresAt === Infinity ? undefined : expiresAt };
  });
}
