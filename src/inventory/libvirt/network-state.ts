/** One configured network as the source last read it, and whether a new read says anything new. */
import type { Lease } from "./leases.js";
import type { NetworkInfo } from "./network-xml.js";

/** One configured network as last read: its XML and its leases from every place. */
export interface NetworkState {
  readonly info: NetworkInfo;
  readonly leases: readonly Lease[];
}

/**
 * True when two reads of the networks say the same: the same networks, bridges,
 * reservations and leases (each with the same end), in the same order. A lease poll that
 * finds nothing new then changes nothing downstream.
 */
export function sameNetworks(
  a: ReadonlyMap<string, NetworkState>,
  b: ReadonlyMap<string, NetworkState>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [name, x] of a) {
    const y = b.get(name);
    if (y === undefined || !sameNetwork(x, y)) return false;
  }
  return true;
}

function sameNetwork(x: NetworkState, y: NetworkState): boolean {
  return (
    x.info.name === y.info.name &&
    x.info.bridge === y.info.bridge &&
    sameList(
      x.info.reservations,
      y.info.reservations,
      (r, s) => r.mac === s.mac && r.address === s.address,
    ) &&
    sameList(
      x.leases,
      y.leases,
      (l, m) => l.mac === m.mac && l.address === m.address && l.expiresAt === m.expiresAt,
    )
  );
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]!));
}
