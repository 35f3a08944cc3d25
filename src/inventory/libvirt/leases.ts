/** Parsers of virsh's lease table, dnsmasq's lease file and libvirt's lease status file. */
import { normaliseMac } from "../../config/values.js";
import { canonicalAddress } from "../../util/address.js";

/** One address (canonical) handed to one MAC until `expiresAt` (ms; undefined: no end). */
export interface Lease {
  readonly mac: string;
  readonly address: string;
  readonly expiresAt?: number | undefined;
}

/** The leases of a list that have not ended at `now`. */
export function currentLeases(leases: readonly Lease[], now: number): Lease[] {
  return leases.filter((lease) => lease.expiresAt === undefined || lease.expiresAt > now);
}

// "2026-11-25 17:17:55   52:54:00:ee:00:11   ipv4   10.213.0.11/24   g1   01:52:…"
const VIRSH_ROW =
  /^\s*(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\s+(\S+)\s+(?:ipv4|ipv6)\s+([^\s/]+)(?:\/\d+)?(?:\s|$)/;

/** Reads `virsh net-dhcp-leases NET`; virsh runs with TZ=UTC (spawn-virsh.ts). */
export function parseVirshLeases(output: string): Lease[] {
  const leases: Lease[] = [];
  for (const line of output.split("\n")) {
    const row = VIRSH_ROW.exec(line);
    if (!row) continue;
    const [, y, mo, d, h, mi, s, macText, ip] = row;
    pushLease(leases, macText, ip, Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) / 1000);
  }
  return leases;
}

/**
 * Reads a dnsmasq lease file: `expiry mac ip hostname client-id` per line, expiry in seconds
 * (0 = never). IPv6 lines (`expiry iaid ip …`) and the `duid` line carry no MAC and are skipped.
 */
export function parseDnsmasqLeases(text: string): Lease[] {
  const leases: Lease[] = [];
  for (const line of text.split("\n")) {
    const [expiry, mac, ip] = line.trim().split(/\s+/);
    if (expiry === undefined || !/^\d+$/.test(expiry)) continue;
    pushLease(leases, mac, ip, Number(expiry));
  }
  return leases;
}

/**
 * Reads libvirt's lease status file: a JSON list of objects with "ip-address",
 * "mac-address" and "expiry-time" (seconds). Throws SyntaxError for text that is not JSON;
 * an empty file (a network without leases yet) is no leases.
 */
export function parseLeaseStatus(text: string): Lease[] {
  if (text.trim() === "") return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new SyntaxError("lease status is not a JSON list");
  const leases: Lease[] = [];
  const str = (value: unknown) => (typeof value === "string" ? value : undefined);
  for (const entry of parsed as unknown[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const field = (key: string) => (entry as Record<string, unknown>)[key];
    const expiry = field("expiry-time");
    const seconds = typeof expiry === "number" ? expiry : Number(str(expiry) ?? Number.NaN);
    pushLease(leases, str(field("mac-address")), str(field("ip-address")), seconds);
  }
  return leases;
}

/** Adds a lease when MAC, address and expiry (seconds, 0 = never) are all usable. */
function pushLease(leases: Lease[], macText = "", ip = "", seconds: number): void {
  const mac = normaliseMac(macText);
  const address = canonicalAddress(ip);
  if (mac === undefined || address === undefined || !Number.isFinite(seconds)) return;
  leases.push({ mac, address, expiresAt: seconds <= 0 ? undefined : seconds * 1000 });
}
