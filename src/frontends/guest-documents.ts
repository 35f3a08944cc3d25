/**
 * The per-guest documents the OpenStack and NoCloud layouts serve, behind one interface so
 * that later sources of them (files per guest, the domain's <metadata>) plug in here and
 * nowhere else. Today: user-data from the userdata service, the built-in vendor-data, no meta tags,
 * the configured availability zone, and DHCP on every interface with a MAC.
 */
import type { Config } from "../config/config.js";
import type { Identity } from "../inventory/instance.js";
import type { UserdataService } from "../userdata/userdata-service.js";
import { availabilityZone } from "./ec2/ec2-values.js";

/** user-data as the userdata service renders it (its body is passed on untouched). */
export type RenderedUserdata = NonNullable<Awaited<ReturnType<UserdataService["render"]>>>;

/** One network interface of the guest as the layouts describe it. */
export interface GuestLink {
  /** Lower case, colon separated: cloud-init finds the interface by it. */
  readonly mac: string;
  /** How it gets its IPv4 address; only DHCP for now (see the README's "network data"). */
  readonly ipv4: "dhcp";
}

/** Where the layouts read a guest's documents from. */
export interface GuestDocuments {
  /** Rendered user-data; undefined when the guest has none. Throws TemplateError. */
  userData(identity: Identity): Promise<RenderedUserdata | undefined>;
  /** vendor-data text (cloud-config or a script); undefined when there is none. */
  vendorData(identity: Identity): Promise<string | undefined>;
  /** OpenStack's `meta` (tags and values). */
  meta(identity: Identity): Promise<Readonly<Record<string, string>>>;
  availabilityZone(identity: Identity): Promise<string>;
  /** The interfaces cloud-init is to configure, in the domain's order. */
  links(identity: Identity): readonly GuestLink[];
}

/**
 * The documents as this release derives them. `builtinVendorData` gives the vendor-data of a
 * guest that has no other (the boot reports' phone_home, or none).
 */
export function createGuestDocuments(
  config: Config,
  userdata: UserdataService,
  builtinVendorData: () => string | undefined = () => undefined,
): GuestDocuments {
  const zone = availabilityZone(config);
  return {
    userData: (identity) => userdata.render(identity),
    vendorData: async () => builtinVendorData(),
    meta: async () => ({}),
    availabilityZone: async () => zone,
    links: (identity) =>
      identity.instance.interfaces.flatMap((iface) =>
        iface.mac === undefined ? [] : [{ mac: iface.mac, ipv4: "dhcp" as const }],
      ),
  };
}
