/** What mdserver needs from a libvirt network's XML (`virsh net-dumpxml`). */
import { normaliseMac } from "../../config/values.js";
import { canonicalAddress } from "../../util/address.js";
import {
  attribute,
  child,
  children,
  LibvirtXmlError,
  parseDocument,
  text,
  xmlParser,
} from "./xml-document.js";

/** A static DHCP reservation: `<host mac=… ip=…>` under the network's `<ip><dhcp>`. */
export interface Reservation {
  readonly mac: string;
  /** Canonical form. */
  readonly address: string;
}

/** A libvirt network as libvirt describes it. */
export interface NetworkInfo {
  readonly name: string;
  /** The bridge device: libvirt names the lease status file after it (<bridge>.status). */
  readonly bridge?: string | undefined;
  readonly reservations: readonly Reservation[];
}

const parser = xmlParser();

/** Reads `virsh net-dumpxml` output; throws LibvirtXmlError when it is not a network. */
export function parseNetworkXml(xml: string): NetworkInfo {
  const network = parseDocument(parser, xml, "network");
  const name = text(network, "name");
  if (!name) throw new LibvirtXmlError("network without a <name>");
  const reservations: Reservation[] = [];
  for (const ip of children(network, "ip")) {
    for (const host of children(child(ip, "dhcp"), "host")) {
      // IPv6 reservations name a DUID or host name, not a MAC: nothing to match a domain by.
      const mac = normaliseMac(attribute(host, "mac") ?? "");
      const address = canonicalAddress(attribute(host, "ip") ?? "");
      if (mac !== undefined && address !== undefined) reservations.push({ mac, address });
    }
  }
  return { name, bridge: attribute(child(network, "bridge"), "name"), reservations };
}
