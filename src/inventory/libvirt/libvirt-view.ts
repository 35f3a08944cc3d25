/**
 * From libvirt's state to the identities one connection serves. Pure, built whole after every
 * change and published whole, so an address that moved is never served to both guests.
 */
import type { Identity, Instance } from "../instance.js";
import { currentLeases, type Lease } from "./leases.js";
import type { DomainInfo, NetworkInfo } from "./libvirt-xml.js";

/** One configured network as last read: its XML and its leases from every place. */
export interface NetworkState {
  readonly info: NetworkInfo;
  readonly leases: readonly Lease[];
}

/**
 * Everything one connection knows; `source` is Instance.source of what it serves. `ports`,
 * while the first load runs: the UUIDs of the domains plugged into each network with each MAC
 * (`portKey`); only an address all of whose possible owners are read is decided then.
 */
interface ViewInput {
  readonly source: string;
  readonly networks: ReadonlyMap<string, NetworkState>;
  readonly domains: Iterable<DomainInfo>;
  readonly now: number;
  readonly ports?: ReadonlyMap<string, readonly string[]> | undefined | null;
}

/** What to publish, and the addresses more than one domain could hold (claimants sorted). */
interface View {
  readonly identities: readonly Identity[];
  readonly conflicts: ReadonlyArray<{ address: string; claimants: string[] }>;
}

/** One domain's hold on one address; `expiresAt` is Infinity for a reservation. */
interface Claim {
  readonly domain: DomainInfo;
  readonly network: string;
  readonly mac: string;
  readonly address: string;
  expiresAt: number;
}

/** The key of a MAC on a network, in `ViewInput.ports`. */
export const portKey = (network: string, mac: string) => `${network} ${mac}`;

/** The `portKey`s of the MACs holding these addresses (reservations and leases). */
export function portKeysOf(networks: ViewInput["networks"], addresses: ReadonlySet<string>) {
  return [...networks].flatMap(([name, { info, leases }]) =>
    [...info.reservations, ...leases]
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
  const claims = new Map<string, Claim[]>();
  const contested = new Map<string, Set<string>>();
  const undecided = new Set<string>();
  const contest = (address: string, by: DomainInfo[]) =>
    contested.set(address, new Set([...(contested.get(address) ?? []), ...by.map((d) => d.name)]));
  const claim = (network: string, mac: string, address: string, expiresAt: number) => {
    const candidates = owners(portKey(network, mac));
    if (candidates === undefined) return void undecided.add(address);
    if (candidates.length > 1) return void contest(address, candidates);
    const [domain] = candidates;
    if (domain === undefined) return;
    const list = claims.get(address) ?? [];
    const earlier = list.find((c) => c.domain === domain);
    if (earlier) earlier.expiresAt = Math.max(earlier.expiresAt, expiresAt);
    else claims.set(address, [...list, { domain, network, mac, address, expiresAt }]);
  };
  for (const [name, state] of input.networks) {
    for (const r of state.info.reservations) claim(name, r.mac, r.address, Infinity);
    for (const l of currentLeases(state.leases, input.now))
      claim(name, l.mac, l.address, l.expiresAt ?? Infinity);
  }
  const held = new Map<DomainInfo, Claim[]>();
  for (const [address, list] of claims) {
    const [domain, ...more] = list.map((c) => c.domain) as [DomainInfo, ...DomainInfo[]];
    if (undecided.has(address)) continue;
    if (more.length > 0 || contested.has(address)) contest(address, [domain, ...more]);
    else held.set(domain, [...(held.get(domain) ?? []), ...list]);
  }
  const conflicts = [...contested]
    .filter(([address]) => !undecided.has(address))
    .map(([address, names]) => ({ address, claimants: [...names].sort() }))
    .sort((a, b) => a.address.localeCompare(b.address));
  const identities = [...held].flatMap(([domain, list]) =>
    identitiesOf(input.source, domain, list),
  );
  return { identities, conflicts };
}

/**
 * The running domains that may own a MAC on a network; undefined when that cannot be told yet
 * (a port's domain not read so far, or no port known while the first load runs).
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
  // A MAC without a port is no running domain's; a port whose domain is not read yet decides
  // nothing.
  return (key) => {
    const owners = (ports.get(key) ?? []).map((uuid) => byUuid.get(uuid));
    return owners.every((d) => d !== undefined) ? owners : undefined;
  };
}

function identitiesOf(source: string, domain: DomainInfo, held: readonly Claim[]): Identity[] {
  const instance: Instance = {
    name: domain.name,
    uuid: domain.uuid,
    interfaces: domain.interfaces.map(({ mac, network }) => ({
      mac,
      network,
      addresses: held
        .filter((c) => c.mac === mac && c.network === network)
        .map((c) => c.address)
        .sort(),
    })),
    source,
    architecture: domain.architecture,
    metadataXml: domain.metadataXml,
  };
  return held.map(({ address, mac, expiresAt }) => ({
    instance,
    address,
    mac,
    expiresAt: expiresAt === Infinity ? undefined : expiresAt,
  }));
}
