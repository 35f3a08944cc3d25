/**
 * The state file of boot reports: JSON `{"version": 1, "reports": [...]}`, newest first,
 * written atomically (a reader or a crash never sees half a file). Entries that are not
 * well-formed reports (a hand edit, a later format) are left out when it is read.
 */
import { readStateFile, writeStateFile } from "../util/state-file.js";
import type { BootReport, HostKey } from "./boot-report.js";
import { parseHostKey } from "./host-key.js";

const VERSION = 1;

const isString = (value: unknown): value is string => typeof value === "string";

function isHostKey(value: unknown): value is HostKey {
  const v = value as Partial<HostKey> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    isString(v.type) &&
    isString(v.key) &&
    parseHostKey(`${v.type} ${v.key}`) !== undefined
  );
}

function isReport(value: unknown): value is BootReport {
  const v = value as Partial<BootReport> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    [v.uuid, v.name, v.address, v.instanceId, v.hostname].every(isString) &&
    Number.isFinite(v.receivedAt) &&
    Array.isArray(v.hostKeys) &&
    v.hostKeys.every(isHostKey)
  );
}

/** A report with exactly the fields of the model (nothing a hand edit added). */
function plain(r: BootReport): BootReport {
  return {
    uuid: r.uuid,
    name: r.name,
    address: r.address,
    instanceId: r.instanceId,
    hostname: r.hostname,
    receivedAt: r.receivedAt,
    hostKeys: r.hostKeys.map((k) => ({ type: k.type, key: k.key })),
  };
}

/** The reports kept in `file`: none when it does not exist. Throws when it cannot be read or is not this file. */
export async function loadBootReports(file: string): Promise<BootReport[]> {
  const parsed = (await readStateFile(file)) as
    { version?: unknown; reports?: unknown } | undefined;
  if (parsed === undefined) return [];
  if (parsed.version !== VERSION || !Array.isArray(parsed.reports)) {
    throw new Error(`${file} is not mdserver's boot reports file (version ${VERSION})`);
  }
  return parsed.reports.filter(isReport).map(plain);
}

/** Writes `reports` to `file` atomically, creating its directory if needed. */
export async function saveBootReports(file: string, reports: readonly BootReport[]): Promise<void> {
  await writeStateFile(file, { version: VERSION, reports: reports.map(plain) });
}
