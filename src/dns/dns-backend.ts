/** What the DNS manager needs from a way of publishing names (hosts file, libvirt). */
import type { DnsRecord } from "./dns-records.js";

/** A problem met while publishing; degrading ones make the manager report itself unhealthy. */
export interface DnsProblem {
  readonly message: string;
  readonly degrading: boolean;
}

/** Problems by a key that stays the same while the cause does (so each is logged once). */
export type DnsProblems = Map<string, DnsProblem>;

/** A place guest names are published. */
export interface DnsBackend {
  /** Makes it say what `records` say; never throws: what failed comes back as problems. */
  sync(records: readonly DnsRecord[]): Promise<DnsProblems>;
  /** Checks, changing nothing, that sync could work; returns what would fail. */
  check(): Promise<string[]>;
}

/**
 * A failure of one step (finding, reading, writing, reloading…): its kind is part of the
 * problem's key, so a different failure is logged again, the same one (however its details
 * vary) once.
 */
export class DnsFault extends Error {
  override readonly name = "DnsFault";
  constructor(
    readonly kind: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The problem key for a failure of `what` (a file, a network). */
export function faultKey(what: string, error: unknown): string {
  return `${what}: ${error instanceof DnsFault ? error.kind : "error"}`;
}

/** An error's message, for a problem. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The connection a record's guest was learnt from ("libvirt URI"), if it came from libvirt. */
export function libvirtUriOf(record: DnsRecord): string | undefined {
  return record.source.startsWith("libvirt ") ? record.source.slice("libvirt ".length) : undefined;
}

/**
 * The network a record is published on: its interface's, or the first configured one for an
 * instance declared without one. Records on networks not configured are not published.
 */
export function networkOf(record: DnsRecord, networks: readonly string[]): string | undefined {
  const network = record.network ?? networks[0];
  return network !== undefined && networks.includes(network) ? network : undefined;
}
