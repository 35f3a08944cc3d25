/**
 * The lease files the original read under dnsmasq.base_dir: dnsmasq's <net>.leases and
 * libvirt's <bridge>.status. Modern libvirt keeps only the second (virsh net-dhcp-leases
 * reads it too); older hosts may still have the first.
 */
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDnsmasqLeases, parseLeaseStatus, type Lease } from "./leases.js";

/** A lease file that exists but could not be read. */
export interface LeaseFileProblem {
  readonly file: string;
  readonly message: string;
}

/** The file names of one network's lease files (the status file only once the bridge is known). */
export function leaseFileNames(network: string, bridge: string | undefined): string[] {
  const names = [`${network}.leases`];
  if (bridge !== undefined) names.push(`${bridge}.status`);
  // Names come from the config and from libvirt; neither may lead out of base_dir.
  return names.filter((name) => !name.includes("/") && !name.startsWith("."));
}

/** Reads one network's lease files; a missing file is no leases, not a problem. */
export async function readLeaseFiles(
  baseDir: string,
  network: string,
  bridge: string | undefined,
): Promise<{ leases: Lease[]; problems: LeaseFileProblem[] }> {
  const leases: Lease[] = [];
  const problems: LeaseFileProblem[] = [];
  for (const name of leaseFileNames(network, bridge)) {
    const file = join(baseDir, name);
    try {
      const text = await readFile(file, "utf8");
      leases.push(
        ...(name.endsWith(".status") ? parseLeaseStatus(text) : parseDnsmasqLeases(text)),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      problems.push({ file, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { leases, problems };
}

/**
 * Calls `onChange` when a lease file in `baseDir` changes (libvirt's helper rewrites the
 * status file on every lease, by rename, so the directory is watched rather than the file),
 * and `onError` once if the watch fails later (it is closed then). Throws when the directory
 * cannot be watched (it may not exist yet).
 */
export function watchLeaseFiles(
  baseDir: string,
  interesting: (fileName: string) => boolean,
  onChange: () => void,
  onError: (error: Error) => void,
): FSWatcher {
  const watcher = watch(baseDir, { persistent: false }, (_event, fileName) => {
    if (fileName === null || interesting(fileName.toString())) onChange();
  });
  watcher.on("error", (error) => {
    watcher.close();
    onError(error);
  });
  return watcher;
}
