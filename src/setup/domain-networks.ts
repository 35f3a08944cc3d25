/** Which libvirt networks a domain's interfaces are attached to (`--all` and the checks use it). */
import { attributeOf, childrenOf, rootElement } from "./xml-text.js";

/** The <source network=…> of every type="network" interface, in order. */
export function domainNetworks(xml: string): string[] {
  const domain = rootElement(xml, "domain");
  const devices = childrenOf(xml, domain).find((c) => c.name === "devices");
  if (devices === undefined) return [];
  const networks: string[] = [];
  for (const iface of childrenOf(xml, devices)) {
    if (iface.name !== "interface" || attributeOf(iface, "type") !== "network") continue;
    const source = childrenOf(xml, iface).find((c) => c.name === "source");
    const network = source && attributeOf(source, "network");
    if (network !== undefined) networks.push(network);
  }
  return networks;
}
