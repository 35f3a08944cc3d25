/**
 * libvirt's network DNS host entries (`<dns><host ip=…><hostname>…</hostname></host>`): the
 * XML `virsh net-update … dns-host` takes, and the entries a network's XML holds. Pure.
 */
import { XMLParser } from "fast-xml-parser";
import { canonicalAddress } from "../util/address.js";

/** One DNS host entry: an address and its names, in order. */
export interface HostEntry {
  readonly ip: string;
  readonly names: readonly string[];
}

/** True when two entries are the same entry (libvirt keeps names in the order given). */
export function sameEntry(a: HostEntry, b: HostEntry): boolean {
  return (
    a.ip === b.ip && a.names.length === b.names.length && a.names.every((n, i) => n === b.names[i])
  );
}

/**
 * True when libvirt would refuse to add `a` beside `b`, or would take `a` to mean `b` when
 * deleting: they share the address or any name.
 */
export function entriesClash(a: HostEntry, b: HostEntry): boolean {
  return a.ip === b.ip || a.names.some((name) => b.names.includes(name));
}

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/'/g, "&apos;").replace(/"/g, "&quot;");

/** The `<host>` element for net-update. */
export function dnsHostXml(entry: HostEntry): string {
  const names = entry.names.map((n) => `<hostname>${escape(n)}</hostname>`).join("");
  return `<host ip='${escape(entry.ip)}'>${names}</host>`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === "host" || name === "hostname",
});

type Element = Record<string, unknown>;

/** The DNS host entries of a network's XML (as `virsh net-dumpxml` prints it). */
export function parseDnsHosts(networkXml: string): HostEntry[] {
  const network = (parser.parse(networkXml) as { network?: Element }).network;
  if (network === undefined || typeof network !== "object") {
    throw new Error("no <network> element in the reply");
  }
  const dns = network.dns as Element | undefined;
  const hosts =
    (typeof dns === "object" && dns !== null ? (dns.host as Element[] | undefined) : undefined) ??
    [];
  return hosts.flatMap((host) => {
    const ip = canonicalAddress(String(host["@ip"] ?? ""));
    const names = ((host.hostname as unknown[] | undefined) ?? []).map((n) =>
      typeof n === "object" && n !== null ? String((n as Element)["#text"] ?? "") : String(n),
    );
    return ip === undefined ? [] : [{ ip, names }];
  });
}
