/** The model every source produces and every frontend reads. Depends on nothing of ours. */

/** One network interface of an instance. */
export interface NetworkInterface {
  /** Lower case, colon separated; unknown for a static instance declared without one. */
  readonly mac?: string | undefined;
  /** The libvirt network it is attached to, when known. */
  readonly network?: string | undefined;
  /** Addresses currently bound to this MAC (leases, reservations or declared), canonical form. */
  readonly addresses: readonly string[];
}

/** A guest mdserver can answer for. */
export interface Instance {
  readonly name: string;
  /** Lower-case UUID; libvirt's domain UUID, stable for the life of the guest. */
  readonly uuid: string;
  readonly interfaces: readonly NetworkInterface[];
  /** Where it was learnt, e.g. "static" or "libvirt qemu:///system". */
  readonly source: string;
  /** The guest's CPU architecture as libvirt names it (x86_64, aarch64…), when known. */
  readonly architecture?: string | undefined;
  /** The libvirt domain's <metadata> element as XML text, when there is one. */
  readonly metadataXml?: string | undefined;
}

/** The answer to "who is asking from this address?". */
export interface Identity {
  readonly instance: Instance;
  /** The client address that identified it (canonical form). */
  readonly address: string;
  /** The MAC of the interface that holds that address, when known. */
  readonly mac?: string | undefined;
  /** When the address stops belonging to it (a DHCP lease's end), in ms since the epoch. */
  readonly expiresAt?: number | undefined;
}

/** One identity per address of an instance, as a source hands them to the inventory. */
export function identitiesOf(instance: Instance): Identity[] {
  return instance.interfaces.flatMap((iface) =>
    iface.addresses.map((address) => ({ instance, address, mac: iface.mac })),
  );
}
