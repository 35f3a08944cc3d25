/**
 * From libvirt's state (domains, networks, leases) to the identities one connection serves.
 * Pure: the source builds it after every change and publishes it whole, so an address that
 * moved to another guest is never served to both, and never to the old one once the new view
 * is out.
 */
import type { Identity, Instance } from "../instance.js";
import { currentLeases, type Lease } from "./leases.js";
import type { DomainInfo, NetworkInfo } from "./libvirt-xml.js";

/** One configured network as last read: its XML and its leases from every place. */
export interface NetworkState {
  readonly info: NetworkInfo;
  readonly leases: readonly Lease[];
}

/** Everything one connection knows. */
export interface ViewInput {
  /** Instance.source for what this connection serves, e.g. "libvirt qemu:///system". */
  readonly source: string;
  /** The configured networks that exist, by name. */
  readonly networks: ReadonlyMap<string, NetworkState>;
  readonly domains: Iterable<DomainInfo>;
  readonly now: number;
  /**
   * While the first load is still reading domains: libvirt's ports, the UUIDs of the domains
   * plugged into each network with each MAC (`portKey`). Only an address all of whose possible
   * owners are known then is decided; the rest wait for the load.
   */
  readonly ports?: ReadonlyMap<string, readonly string[]> | undefined;
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

/** The key of a MAC on a network, in `ViewInput.ports`. */
export function portKey(network: string, mac: string): string {
  return `${network} ${mac}`;
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
  const claim = (network: string, mac: string, address: string, expiresAt: number) => {
    const candidates = owners(portKey(network, mac));
    if (candidates === undefined) return void undecided.add(address);
    if (candidates.length > 1) return contest(contested, address, candidates);
    const domain = candidates[0];
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
    if (undecided.has(address)) continue;
    if (list.length > 1 || contested.has(address)) {
      contest(
        contested,
        address,
        list.map((c) => c.domain),
      );
      continue;
    }
    const only = list[0]!;
    const mine = held.get(only.domain);
    if (mine) mine.push(only);
    else held.set(only.domain, [only]);
  }
  const identities: Identity[] = [];
  for (const [domain, list] of held) identities.push(...identitiesOf(input.source, domain, list));
  const conflicts = [...contested]
    .filter(([address]) => !undecided.has(address))
    .map(([address, names]) => ({ address, claimants: [...names].sort() }))
    .sort((a, b) => a.address.localeCompare(b.address));
  return { identities, conflicts };
}

function contest(contested: Map<string, Set<string>>, address: string, by: DomainInfo[]): void {
  const names = contested.get(address) ?? new Set<string>();
  for (const domain of by) names.add(domain.name);
  contested.set(address, names);
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
      const key = portKey(network, mac);
      const list = running.get(key);
      if (list === undefined) running.set(key, [domain]);
      else if (!list.includes(domain)) list.push(domain);
    }
  }
  const { ports } = input;
  if (ports === undefined) return (key) => running.get(key) ?? [];
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
  return held.map((c) => ({
    instance,
    address: c.address,
    mac: c.mac,
    expiresAt: c.expiresAt === Infinity ? undefined : c.expiresAt,
  }));
}
