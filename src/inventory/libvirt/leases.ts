/** Parsers of virsh's lease table, dnsmasq's lease file and libvirt's lease status file. */
import { normaliseMac } from "../../config/values.js";
import { canonicalAddress } from "../../util/address.js";

/** One address (canonical) handed to one MAC until `expiresAt` (ms; undefined: no end). */
export interface Lease {
  readonly mac: string;
  readonly address: string;
  readonly expiresAt?: number | undefined;
}

// "2026-11-25 17:17:55   52:54:00:ee:00:11   ipv4   10.213.0.11/24   g1   01:52:…"
const VIRSH_ROW =
  /^\s*(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\s+(\S+)\s+(?:ipv4|ipv6)\s+([^\s/]+)(?:\/\d+)?(?:\s|$)/;

/** Reads `virsh net-dhcp-leases NET`; virsh runs with TZ=UTC (spawn-virsh.ts). */
export function parseVirshLeases(output: string): Lease[] {
  return leasesOf(output.split("\n"), (line) => {
    const [, y, mo, d, h, mi, s, mac, ip] = VIRSH_ROW.exec(line) ?? [];
    return [mac, ip, Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) / 1000];
  });
}

/**
 * Reads a dnsmasq lease file: `expiry mac ip hostname client-id` per line, expiry in seconds
 * (0 = never). IPv6 lines (`expiry iaid ip …`) and the `duid` line carry no MAC and are skipped.
 */
export function parseDnsmasqLeases(text: string): Lease[] {
  return leasesOf(text.split("\n"), (line) => {
    const [expiry = "", mac, ip] = line.trim().split(/\s+/);
    return [mac, ip, /^\d+$/.test(expiry) ? Number(expiry) : Number.NaN];
  });
}

/**
 * Reads libvirt's lease status file, a JSON list of {"ip-address", "mac-address", "expiry-time"
 * (seconds)}; an empty one is no leases. Throws SyntaxError for text that is not JSON.
 */
export function parseLeaseStatus(text: string): Lease[] {
  const parsed: unknown = text.trim() === "" ? [] : JSON.parse(text);
  if (!Array.isArray(parsed)) throw new SyntaxError("lease status is not a JSON list");
  return leasesOf(parsed as unknown[], (entry) => {
    const fields = Object(entry) as Record<string, unknown>;
    const expiry = fields["expiry-time"];
    const seconds = ["number", "string"].includes(typeof expiry) ? Number(expiry) : Number.NaN;
    return [fields["mac-address"], fields["ip-address"], seconds];
  });
}

/** The leases of `rows` whose MAC, address and expiry (seconds, 0 = never) are all usable. */
function leasesOf<T>(rows: readonly T[], fields: (row: T) => [unknown, unknown, number]) {
  return rows.flatMap((row): Lease[] => {
    const [macText, ip, seconds] = fields(row);
    const mac = typeof macText === "string" ? normaliseMac(macText) : undefined;
    const address = typeof ip === "string" ? canonicalAddress(ip) : undefined;
    if (mac === undefined || address === undefined || !Number.isFinite(seconds)) return [];
    return [{ mac, address, expiresAt: seconds <= 0 ? undefined : seconds * 1000 }];
  });
}
