/**
 * The DNS entries mdserver added to libvirt networks (dns_mode = libvirt), kept in a small
 * JSON file so that after a restart it removes what it added (no leak) and does not add it
 * again (no duplicate). It is written before an entry is added (and again after), so an entry
 * in libvirt that mdserver added is always in the file, even if mdserver dies half-way.
 */
import { readStateFile, writeStateFile } from "../util/state-file.js";
import type { HostEntry } from "./dns-host-xml.js";

/** An entry mdserver added, and where. */
export interface TrackedEntry extends HostEntry {
  readonly uri: string;
  readonly network: string;
}

const VERSION = 1;

function isEntry(value: unknown): value is TrackedEntry {
  const v = value as Partial<TrackedEntry> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.uri === "string" &&
    typeof v.network === "string" &&
    typeof v.ip === "string" &&
    Array.isArray(v.names) &&
    v.names.every((n) => typeof n === "string")
  );
}

/** Reads the tracked entries; none when the file does not exist yet. Throws on a bad file. */
export async function loadTracked(file: string): Promise<TrackedEntry[]> {
  const parsed = (await readStateFile(file)) as
    { version?: unknown; entries?: unknown } | undefined;
  if (parsed === undefined) return [];
  if (
    parsed.version !== VERSION ||
    !Array.isArray(parsed.entries) ||
    !parsed.entries.every(isEntry)
  ) {
    // Acting without knowing what is ours could remove others' entries, or leak ours.
    throw new Error(`${file} is not mdserver's DNS state; remove it to start afresh`);
  }
  return parsed.entries;
}

/** Writes the tracked entries (atomically; the directory is created if needed). */
export async function saveTracked(file: string, entries: readonly TrackedEntry[]): Promise<void> {
  await writeStateFile(file, { version: VERSION, entries });
}
