import { isIP } from "node:net";

/**
 * The one spelling of an IP address used as an index key: IPv4-mapped IPv6 addresses (what a
 * dual-stack socket reports for an IPv4 peer) become plain IPv4, IPv6 is lower case and
 * compressed. Returns undefined for anything that is not an address.
 */
export function canonicalAddress(address: string): string | undefined {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  if (mapped) return mapped[1];
  switch (isIP(trimmed)) {
    case 4:
      return trimmed;
    case 6:
      // URL parsing compresses and lower-cases an IPv6 literal the standard way.
      return new URL(`http://[${trimmed.replace(/%.*$/, "")}]/`).hostname.slice(1, -1);
    default:
      return undefined;
  }
}

/** True for an IPv4 address in dotted form. */
export function isIPv4(address: string): boolean {
  return isIP(address) === 4;
}
