/**
 * openstack/<v>/network_data.json: the guest's interfaces, which cloud-init configures before
 * networking comes up. A link is found in the guest by its MAC (a MAC the guest lacks is an
 * error there), so only interfaces libvirt gave a MAC are described.
 */
import type { GuestLink } from "../guest-documents.js";

/** network_data.json's network type for each way a link gets its address. */
const NETWORK_TYPE: Readonly<Record<GuestLink["ipv4"], string>> = { dhcp: "ipv4_dhcp" };

/** The document for `links`; undefined when there are none (an empty one would unconfigure the guest). */
export function networkDataJson(links: readonly GuestLink[]): Record<string, unknown> | undefined {
  if (links.length === 0) return undefined;
  return {
    links: links.map((link, index) => ({
      id: `nic${index}`,
      type: "phy",
      ethernet_mac_address: link.mac,
    })),
    networks: links.map((link, index) => ({
      id: `network${index}`,
      link: `nic${index}`,
      type: NETWORK_TYPE[link.ipv4],
    })),
    services: [],
  };
}
