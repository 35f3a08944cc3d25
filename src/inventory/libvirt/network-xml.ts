/**
 * What mdserver needs from a libvirt network's XML (`virsh net-dumpxml`), and from one of its
 * ports (`virsh net-port-dumpxml`: which domain owns which MAC on it).
 */
import { normaliseMac } from "../../config/values.js";
import { canonicalAddress } from "../../util/address.js";
import { LibvirtXmlError, readXml } from "./xml-document.js";

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

/** Reads `virsh net-dumpxml` output; throws LibvirtXmlError when it is not a network. */
export function parseNetworkXml(xml: string): NetworkInfo {
  let name = "";
  let bridge: string | undefined;
  const reservations: Reservation[] = [];
  readXml(xml, "network", {
    open(path, a) {
      if (path === "network/bridge") bridge = a["name"];
      if (path !== "network/ip/dhcp/host") return;
      // IPv6 reservations name a DUID or host name, not a MAC: nothing to match a domain by.
      const mac = normaliseMac(a["mac"] ?? "");
      const address = canonicalAddress(a["ip"] ?? "");
      if (mac !== undefined && address !== undefined) reservations.push({ mac, address });
    },
    text(path, text) {
      if (path === "network/name") name += text;
    },
  });
  if (!name) throw new LibvirtXmlError("network without a <name>");
  return { name, bridge, reservations };
}

/** A network port: the MAC plugged in and the UUID of the domain that owns it. */
export interface NetworkPort {
  readonly mac: string;
  readonly owner: string;
}

/** Reads `virsh net-port-dumpxml` output; throws LibvirtXmlError when it is not a port. */
export function parsePortXml(xml: string): NetworkPort {
  let mac: string | undefined;
  let owner = "";
  readXml(xml, "networkport", {
    open(path, a) {
      if (path === "networkport/mac") mac = normaliseMac(a["address"] ?? "");
    },
    text(path, text) {
      if (path === "networkport/owner/uuid") owner += text;
    },
  });
  if (mac === undefined || owner.trim() === "")
    throw new LibvirtXmlError("port without owner or MAC");
  return { mac, owner: owner.trim().toLowerCase() };
}
