/**
 * Hands out a source's last published objects again for guests about which nothing changed.
 * The frontends and the user-data renderer cache by Identity object: a lease renewal, a lease
 * poll or a periodic reload must not throw away every guest's cached answers, only the ones of
 * the guest it is about. Whatever changed about a guest (name, UUID, interfaces, addresses, MAC,
 * lease end, metadata, architecture) gives it a new Identity, and a new Instance when the
 * instance changed.
 */
import type { Identity, Instance, NetworkInterface } from "./instance.js";

/** `next`, with each identity (and instance) equal to one in `previous` replaced by that one. */
export function keepUnchanged(
  previous: readonly Identity[],
  next: readonly Identity[],
): Identity[] {
  if (previous.length === 0) return [...next];
  const oldByAddress = new Map<string, Identity>();
  const oldInstances = new Map<string, Instance>();
  for (const identity of previous) {
    oldByAddress.set(identity.address, identity);
    oldInstances.set(identity.instance.uuid, identity.instance);
  }
  // Decided once per instance, not once per address.
  const kept = new Map<Instance, Instance>();
  const instanceFor = (fresh: Instance): Instance => {
    let instance = kept.get(fresh);
    if (instance === undefined) {
      const old = oldInstances.get(fresh.uuid);
      instance = old !== undefined && sameInstance(old, fresh) ? old : fresh;
      kept.set(fresh, instance);
    }
    return instance;
  };
  return next.map((identity) => {
    const instance = instanceFor(identity.instance);
    const old = oldByAddress.get(identity.address);
    if (
      old?.instance === instance &&
      old.mac === identity.mac &&
      old.expiresAt === identity.expiresAt
    )
      return old;
    return instance === identity.instance ? identity : { ...identity, instance };
  });
}

/** True when `a` and `b` hold the same identities, as objects (in any order). */
export function sameIdentities(a: readonly Identity[], b: readonly Identity[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((identity) => set.has(identity));
}

function sameInstance(a: Instance, b: Instance): boolean {
  return (
    a.name === b.name &&
    a.uuid === b.uuid &&
    a.source === b.source &&
    a.architecture === b.architecture &&
    a.metadataXml === b.metadataXml &&
    a.interfaces.length === b.interfaces.length &&
    a.interfaces.every((iface, i) => sameInterface(iface, b.interfaces[i]!))
  );
}

function sameInterface(a: NetworkInterface, b: NetworkInterface): boolean {
  return (
    a.mac === b.mac &&
    a.network === b.network &&
    a.addresses.length === b.addresses.length &&
    a.addresses.every((address, i) => address === b.addresses[i])
  );
}
