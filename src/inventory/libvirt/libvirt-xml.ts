/**
 * What mdserver needs from the XML of `dumpxml`, `net-dumpxml` and `net-port-dumpxml`, read
 * with a strict streaming parser (saxes: an object tree took six times longer). Anything but
 * well-formed XML means the reply was cut short: it is refused, as a half-read domain would
 * silently drop or mis-assign addresses.
 */
import { SaxesParser } from "saxes";
import { isUuid, normaliseMac } from "../../config/values.js";
import { canonicalAddress } from "../../util/address.js";
import type { Lease } from "./leases.js";

/** A reply about one object that is not usable: an error about it, or not the XML expected. */
export class LibvirtReplyError extends Error {}

/** A domain as libvirt describes it; `active`: running or paused (it has an id). */
export interface DomainInfo {
  readonly name: string;
  readonly uuid: string;
  readonly active: boolean;
  readonly architecture?: string | undefined;
  /** Each <interface>: its MAC and, for type="network", <source network=…>. */
  readonly interfaces: ReadonlyArray<{ mac: string; network?: string | undefined }>;
  /** The <metadata> element as XML text (other applications' XML, kept as is). */
  readonly metadataXml?: string | undefined;
}

/** A network: its bridge (libvirt names the lease status file after it). */
export interface NetworkInfo {
  readonly name: string;
  readonly bridge?: string | undefined;
  /** Static DHCP reservations, `<host mac=… ip=…>`: leases without end. */
  readonly reservations: readonly Lease[];
}

type Attributes = Readonly<Record<string, string | undefined>>;
/** Told each element's path ("domain/os/type") and attributes; may return where its text goes. */
type Visit = (path: string, attributes: Attributes) => ((text: string) => void) | undefined;

/** A copy of `text` that does not keep the whole reply alive (V8 slices by reference). */
function own<T extends string | undefined>(text: T): T {
  return (text === undefined ? text : (" " + text).slice(1)) as T;
}

/**
 * Reads the `root` element of `xml` (what precedes it is skipped), telling `visit` of each
 * element but those inside `raw`, whose content is returned as XML text. Throws LibvirtReplyError.
 */
function readXml(xml: string, root: string, raw: string | undefined, visit: Visit) {
  const start = xml.indexOf(`<${root}`);
  if (start < 0) throw new LibvirtReplyError(`no <${root}> element in the reply`);
  const doc = xml.slice(start);
  const parser = new SaxesParser({ position: true });
  let [path, rawFrom, content] = ["", -1, undefined as string | undefined];
  let text: ((text: string) => void) | undefined;
  parser.on("opentag", (tag) => {
    path = path === "" ? tag.name : `${path}/${tag.name}`;
    if (path === raw) rawFrom = parser.position;
    text = rawFrom >= 0 ? undefined : visit(path, tag.attributes as Attributes);
  });
  parser.on("text", (content) => text?.(content));
  parser.on("closetag", (tag) => {
    text = undefined;
    if (path === raw) {
      content = doc.slice(rawFrom, parser.position - `</${tag.name}>`.length);
      rawFrom = -1;
    }
    path = path.slice(0, Math.max(0, path.lastIndexOf("/")));
  });
  try {
    parser.write(doc).close();
  } catch (error) {
    throw new LibvirtReplyError(`malformed XML: ${(error as Error).message}`);
  }
  return content;
}

/** Reads `virsh dumpxml` output; throws LibvirtReplyError when it is not a usable domain. */
export function parseDomainXml(xml: string): DomainInfo {
  let id: string | undefined, architecture: string | undefined;
  let [name, uuid] = ["", ""];
  const found: Array<Partial<Record<"type" | "mac" | "network", string>>> = [];
  const metadata = readXml(xml, "domain", "domain/metadata", (path, a) => {
    if (path === "domain/name") return (text) => void (name += text);
    if (path === "domain/uuid") return (text) => void (uuid += text);
    if (path === "domain") id = a["id"];
    else if (path === "domain/os/type") architecture = a["arch"];
    else if (path === "domain/devices/interface") found.push({ type: a["type"] });
    else if (path === "domain/devices/interface/mac") found.at(-1)!.mac = a["address"];
    else if (path === "domain/devices/interface/source") found.at(-1)!.network = a["network"];
    return undefined;
  });
  uuid = uuid.trim().toLowerCase();
  if (!name) throw new LibvirtReplyError("domain without a <name>");
  if (!isUuid(uuid)) throw new LibvirtReplyError(`domain ${name}: bad <uuid>`);
  // libvirt fills in a MAC for every interface it accepts; one without is not ours to match.
  const interfaces = found.flatMap(({ type, mac = "", network: source }) => {
    const [address, network] = [normaliseMac(mac), type === "network" ? source : undefined];
    return address ? [{ mac: own(address), network: own(network) }] : [];
  });
  const metadataXml = metadata === undefined ? undefined : own(`<metadata>${metadata}</metadata>`);
  const active = id !== undefined && id !== "-1";
  [name, uuid, architecture] = [own(name), own(uuid), own(architecture)];
  return { name, uuid, active, architecture, interfaces, metadataXml };
}

/** Reads `virsh net-dumpxml` output; throws LibvirtReplyError when it is not a network. */
export function parseNetworkXml(xml: string): NetworkInfo {
  let [name, bridge] = ["", undefined as string | undefined];
  const reservations: Lease[] = [];
  readXml(xml, "network", undefined, (path, a) => {
    if (path === "network/name") return (text) => void (name += text);
    if (path === "network/bridge") bridge = a["name"];
    if (path !== "network/ip/dhcp/host") return undefined;
    // IPv6 reservations name a DUID or host name, not a MAC: nothing to match a domain by.
    const mac = normaliseMac(a["mac"] ?? "");
    const address = canonicalAddress(a["ip"] ?? "");
    if (mac && address) reservations.push({ mac: own(mac), address: own(address) });
    return undefined;
  });
  if (!name) throw new LibvirtReplyError("network without a <name>");
  return { name: own(name), bridge: own(bridge), reservations };
}

/** Reads `virsh net-port-dumpxml` output: the MAC plugged in and the UUID of its domain. */
export function parsePortXml(xml: string): { mac: string; owner: string } {
  let [mac, owner] = [undefined as string | undefined, ""];
  readXml(xml, "networkport", undefined, (path, a) => {
    if (path === "networkport/owner/uuid") return (text) => void (owner += text);
    if (path === "networkport/mac") mac = normaliseMac(a["address"] ?? "");
    return undefined;
  });
  owner = owner.trim().toLowerCase();
  if (mac === undefined || !isUuid(owner))
    throw new LibvirtReplyError("a port without MAC or owner");
  return { mac, owner };
}
