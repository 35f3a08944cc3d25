/** What mdserver needs from a libvirt domain's XML (`virsh dumpxml`). */
import { isUuid, normaliseMac } from "../../config/values.js";
import { LibvirtXmlError, readXml } from "./xml-document.js";

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
  /** The <metadata> element as XML text (other applications' XML, kept as is). */
  readonly metadataXml?: string | undefined;
}

/** Reads `virsh dumpxml` output; throws LibvirtXmlError when it is not a usable domain. */
export function parseDomainXml(xml: string): DomainInfo {
  let name = "";
  let uuid = "";
  let id: string | undefined;
  let architecture: string | undefined;
  let metadataXml: string | undefined;
  const found: Array<{ type?: string; mac?: string; network?: string }> = [];
  readXml(xml, "domain", {
    open(path, a) {
      if (path === "domain") id = a["id"];
      else if (path === "domain/os/type") architecture = a["arch"];
      else if (path === "domain/devices/interface") found.push({ type: a["type"] });
      else if (path === "domain/devices/interface/mac") found.at(-1)!.mac = a["address"];
      else if (path === "domain/devices/interface/source") found.at(-1)!.network = a["network"];
    },
    text(path, text) {
      if (path === "domain/name") name += text;
      else if (path === "domain/uuid") uuid += text;
    },
    rawPath: "domain/metadata",
    raw: (content) => (metadataXml = `<metadata>${content}</metadata>`),
  });
  uuid = uuid.trim().toLowerCase();
  if (!name) throw new LibvirtXmlError("domain without a <name>");
  if (!isUuid(uuid)) throw new LibvirtXmlError(`domain ${name}: bad <uuid>`);
  const interfaces: DomainInterface[] = [];
  for (const iface of found) {
    const mac = normaliseMac(iface.mac ?? "");
    // libvirt fills in a MAC for every interface it accepts; one without is not ours to match.
    if (mac === undefined) continue;
    interfaces.push({ mac, network: iface.type === "network" ? iface.network : undefined });
  }
  return {
    name,
    uuid,
    active: id !== undefined && id !== "-1",
    architecture,
    interfaces,
    metadataXml,
  };
}
