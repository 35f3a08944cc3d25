/**
 * Which hosts file and which dnsmasq belong to a libvirt network: libvirt writes a dnsmasq
 * configuration `<base_dir>/<net_name>.conf` for each network it runs, and its `addn-hosts=`
 * and `pid-file=` lines name them, as the original read them.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DnsFault } from "./dns-backend.js";

/** A hosts file, and the pid file of the dnsmasq that reads it (if it is to be signalled). */
export interface HostsTarget {
  readonly file: string;
  readonly pidFile?: string | undefined;
}

/** The `addn-hosts` and `pid-file` values of a dnsmasq configuration text. Pure. */
export function parseDnsmasqConf(text: string): { addnHosts?: string; pidFile?: string } {
  const found: { addnHosts?: string; pidFile?: string } = {};
  for (const line of text.split("\n")) {
    const match = /^\s*(addn-hosts|pid-file)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match?.[2]) continue;
    // The first of each wins: dnsmasq takes one pid file, and libvirt writes one addn-hosts.
    if (match[1] === "addn-hosts") found.addnHosts ??= match[2];
    else found.pidFile ??= match[2];
  }
  return found;
}

/** Reads `<baseDir>/<network>.conf`; throws an Error whose message says what is missing. */
export async function targetOfNetwork(baseDir: string, network: string): Promise<HostsTarget> {
  const conf = join(baseDir, `${network}.conf`);
  let text: string;
  try {
    text = await readFile(conf, "utf8");
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "does not exist (is the network running?)"
        : (error as Error).message;
    throw new DnsFault("find", `network ${network}: ${conf} ${why}`, { cause: error });
  }
  const { addnHosts, pidFile } = parseDnsmasqConf(text);
  if (addnHosts === undefined) {
    throw new DnsFault("find", `network ${network}: ${conf} names no addn-hosts file`);
  }
  return { file: addnHosts, pidFile };
}
