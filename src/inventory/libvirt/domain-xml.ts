/** What mdserver needs from a libvirt domain's XML (`virsh dumpxml`). */
import { isUuid, normaliseMac } from "../../config/values.js";
import {
  attribute,
  child,
  children,
  LibvirtXmlError,
  parseDocument,
  text,
  xmlParser,
} from "./xml-document.js";

/** One <interface> of a domain. */
export interface DomainInterface {
  /** Lower case, colon separated. */
  readonly mac: string;
  /** <source network=…>, for type="network" interfaces. */
  readonly network?: string | undefined;
}

/** A domain as libvirt describes it. */
export interface DomainInfo {
  readonly name: string;
  /** Lower case. */
  readonly uuid: string;
  /** Running or paused: libvirt gives an active domain an id attribute. */
  readonly active: boolean;
  readonly architecture?: string | undefined;
  readonly interfaces: readonly DomainInterface[];
  /** The <metadata> element as XML text, for later issues (per-domain settings). */
  readonly metadataXml?: string | undefined;
}

// <metadata> holds other applications' XML in their namespaces: kept as text, not interpreted.
const parser = xmlParser(["domain.metadata"]);

/** Reads `virsh dumpxml` output; throws LibvirtXmlError when it is not a usable domain. */
export function parseDomainXml(xml: string): DomainInfo {
  const domain = parseDocument(parser, xml, "domain");
  const name = text(domain, "name");
  const uuid = text(domain, "uuid")?.trim().toLowerCase();
  if (!name) throw new LibvirtXmlError("domain without a <name>");
  if (uuid === undefined || !isUuid(uuid)) throw new LibvirtXmlError(`domain ${name}: bad <uuid>`);
  const id = attribute(domain, "id");
  const interfaces: DomainInterface[] = [];
  for (const iface of children(child(domain, "devices"), "interface")) {
    const mac = normaliseMac(attribute(child(iface, "mac"), "address") ?? "");
    // libvirt fills in a MAC for every interface it accepts; one without is not ours to match.
    if (mac === undefined) continue;
    const network =
      attribute(iface, "type") === "network"
        ? attribute(child(iface, "source"), "network")
        : undefined;
    interfaces.push({ mac, network });
  }
  const metadata = text(domain, "metadata");
  return {
    name,
    uuid,
    active: id !== undefined && id !== "-1",
    architecture: attribute(child(child(domain, "os"), "type"), "arch"),
    interfaces,
    metadataXml: metadata === undefined ? undefined : `<metadata>${metadata}</metadata>`,
  };
}
