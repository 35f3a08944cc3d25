/**
 * The network XML edit behind `mdserver network-setup`: on an isolated libvirt network (no
 * <forward>), libvirt's dnsmasq announces no router, so guests cannot reach 169.254.169.254
 * at all. A classless static route (DHCP option 121) for 169.254.169.254/32 via the bridge
 * address, passed to dnsmasq through libvirt's dnsmasq:options namespace, gives them one.
 * Pure and idempotent; the text is edited in place, as for domains.
 */
import { SetupError } from "./setup-error.js";
import { appendChild, removeElement } from "./xml-edit.js";
import { attributeOf, childrenOf, escapeXml, rootElement, type XmlSpan } from "./xml-text.js";

/** libvirt's namespace for options passed to the network's dnsmasq. */
export const DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0";
const METADATA_ROUTE = "169.254.169.254/32";

/** What a network needs. */
export type NetworkSetup =
  /** Guests have a default route through the host: nothing to do. */
  | { readonly kind: "not-needed"; readonly why: string }
  /** The route is there. */
  | { readonly kind: "set-up" }
  /** The XML with the route added. */
  | { readonly kind: "needs-route"; readonly xml: string; readonly gateway: string };

/** Forward modes in which libvirt's dnsmasq hands guests the bridge as their router. */
const ROUTED = new Set(["nat", "route", "open"]);

/** What `xml` (a libvirt network) needs; throws SetupError where mdserver cannot help. */
export function networkSetup(xml: string): NetworkSetup {
  const network = rootElement(xml, "network");
  const children = childrenOf(xml, network);
  const forward = children.find((c) => c.name === "forward");
  if (forward !== undefined) {
    const mode = attributeOf(forward, "mode") ?? "nat";
    if (ROUTED.has(mode)) {
      return { kind: "not-needed", why: `forward mode ${mode}: the default route reaches it` };
    }
    throw new SetupError(
      `forward mode ${mode}: libvirt runs no DHCP here, so the route must come from your own DHCP server`,
    );
  }
  const gateway = dhcpGateway(xml, children);
  if (gateway === undefined) {
    throw new SetupError(
      "an isolated network without IPv4 DHCP: guests get no address from libvirt",
    );
  }
  const routes = routeOptions(xml, children);
  if (routes.some((value) => value.includes(METADATA_ROUTE))) return { kind: "set-up" };
  if (routes.length > 0) {
    throw new SetupError(
      `it already sends classless static routes (${routes.join("; ")}): add ${METADATA_ROUTE},${gateway} to that option by hand`,
    );
  }
  return { kind: "needs-route", xml: addRoute(xml, gateway), gateway };
}

/** The address of the IPv4 <ip> that serves DHCP: the guests' way to the host. */
function dhcpGateway(xml: string, children: readonly XmlSpan[]): string | undefined {
  const ip = children.find(
    (c) =>
      c.name === "ip" &&
      (attributeOf(c, "family") ?? "ipv4") === "ipv4" &&
      childrenOf(xml, c).some((d) => d.name === "dhcp"),
  );
  return ip && attributeOf(ip, "address");
}

/** The values of dnsmasq options that set DHCP option 121. */
function routeOptions(xml: string, children: readonly XmlSpan[]): string[] {
  const options = children.find((c) => c.name === "dnsmasq:options");
  if (options === undefined) return [];
  return childrenOf(xml, options)
    .map((option) => attributeOf(option, "value") ?? "")
    .filter((value) => /^dhcp-option(-force)?=.*(classless-static-route|\b121\b)/.test(value));
}

function addRoute(xml: string, gateway: string): string {
  const option = `<dnsmasq:option value='${escapeXml(`dhcp-option=option:classless-static-route,${METADATA_ROUTE},${gateway}`)}'/>`;
  let out = xml;
  let network = rootElement(out, "network");
  if (!/\sxmlns:dnsmasq\s*=/.test(network.attributes)) {
    const tagEnd = network.openEnd - 1;
    out = `${out.slice(0, tagEnd)} xmlns:dnsmasq='${DNSMASQ_NS}'${out.slice(tagEnd)}`;
    network = rootElement(out, "network");
  }
  let options = childrenOf(out, network).find((c) => c.name === "dnsmasq:options");
  if (options !== undefined && options.closeStart === options.end) {
    out = removeElement(out, options);
    network = rootElement(out, "network");
    options = undefined;
  }
  return options === undefined
    ? appendChild(out, network, ["<dnsmasq:options>", `  ${option}`, "</dnsmasq:options>"])
    : appendChild(out, options, [option]);
}
