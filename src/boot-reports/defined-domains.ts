/**
 * The UUIDs of every guest that still exists, running or not: libvirt's defined domains on
 * each connection (`virsh list --all --uuid`, read-only) and the instances the config
 * declares. A boot report of any other guest belongs to a domain that was undefined.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Config } from "../config/config.js";
import { virshEnv } from "../inventory/libvirt/spawn-virsh.js";
import { nameBasedUuid } from "../inventory/name-based-uuid.js";

const run = promisify(execFile);

/** The UUIDs (lower case), or undefined when libvirt could not say (then nothing is dropped). */
export async function definedDomains(config: Config): Promise<Set<string> | undefined> {
  const uuids = new Set<string>();
  const sources = config.mdserver.instance_source;
  if (sources.includes("static")) {
    for (const declared of config.instances) {
      uuids.add((declared.uuid ?? nameBasedUuid(declared.name)).toLowerCase());
    }
  }
  if (!sources.includes("libvirt")) return uuids;
  try {
    for (const uri of new Set(config.libvirt.uri)) {
      const { stdout } = await run(
        config.libvirt.virsh,
        ["-q", "-r", "-c", uri, "list", "--all", "--uuid"],
        { env: virshEnv(), timeout: config.libvirt.timeout * 1000 },
      );
      for (const line of stdout.split("\n")) if (line.trim()) uuids.add(line.trim().toLowerCase());
    }
  } catch {
    return undefined;
  }
  return uuids;
}
