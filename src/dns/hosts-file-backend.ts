/**
 * Guest names in dnsmasq additional hosts files (dns_mode = addn-hosts): one file per libvirt
 * network, found in libvirt's `<base_dir>/<net_name>.conf`, or the one file dnsmasq.addn_hosts
 * names. A file is rewritten (atomically) only when its content changes, and its dnsmasq is
 * then sent SIGHUP. A failure leaves the previous file whole and is retried on the next sync.
 */
import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { isLocalUri } from "../inventory/libvirt/connection-uri.js";
import { writeFileAtomic } from "./atomic-write.js";
import {
  DnsFault,
  faultKey,
  libvirtUriOf,
  messageOf,
  networkOf,
  type DnsBackend,
  type DnsProblems,
} from "./dns-backend.js";
import type { DnsRecord } from "./dns-records.js";
import { targetOfNetwork, type HostsTarget } from "./dnsmasq-conf.js";
import { dnsmasqPid, reloadDnsmasq } from "./dnsmasq-reload.js";
import { renderHostsFile } from "./hosts-file.js";

/** Where the files are. */
export interface HostsFileSettings {
  /** libvirt's dnsmasq directory, holding `<network>.conf`. */
  readonly baseDir: string;
  readonly networks: readonly string[];
  /** One file for every guest instead of libvirt's per network (a dnsmasq of one's own). */
  readonly addnHosts?: string | undefined;
  readonly pidFile?: string | undefined;
}

/** A file to write, how to find it, and which records go in it. */
interface Group {
  readonly name: string;
  target(): Promise<HostsTarget>;
  readonly records: readonly DnsRecord[];
}

export class HostsFileBackend implements DnsBackend {
  /** Files whose dnsmasq has been told about their current content. */
  private readonly told = new Set<string>();

  constructor(private readonly settings: HostsFileSettings) {}

  async sync(records: readonly DnsRecord[]): Promise<DnsProblems> {
    const problems: DnsProblems = new Map();
    for (const group of this.groups(records)) {
      try {
        await this.syncFile(await group.target(), group.records);
      } catch (error) {
        problems.set(faultKey(`hosts ${group.name}`, error), {
          message: messageOf(error),
          degrading: true,
        });
      }
    }
    return problems;
  }

  async check(): Promise<string[]> {
    const problems: string[] = [];
    for (const group of this.groups([])) {
      try {
        const { file, pidFile } = await group.target();
        const writable = (path: string) => access(path, constants.W_OK);
        await writable(dirname(file)).catch((error: unknown) => {
          throw new Error(`hosts file ${file}: cannot write in its directory: ${messageOf(error)}`);
        });
        if (pidFile !== undefined) await dnsmasqPid(pidFile);
      } catch (error) {
        problems.push(messageOf(error));
      }
    }
    return problems;
  }

  /** The files and what goes in each. */
  private groups(records: readonly DnsRecord[]): Group[] {
    const { addnHosts, pidFile, baseDir, networks } = this.settings;
    if (addnHosts !== undefined) {
      return [{ name: addnHosts, target: async () => ({ file: addnHosts, pidFile }), records }];
    }
    // libvirt's files belong to this machine's networks: guests of a remote host are not theirs.
    const local = records.filter((r) => {
      const uri = libvirtUriOf(r);
      return uri === undefined || isLocalUri(uri);
    });
    return networks.map((network) => ({
      name: `network ${network}`,
      target: () => targetOfNetwork(baseDir, network),
      records: local.filter((r) => networkOf(r, networks) === network),
    }));
  }

  /** Rewrites one file if its content changes, then tells its dnsmasq (until it has heard). */
  private async syncFile(target: HostsTarget, records: readonly DnsRecord[]): Promise<void> {
    const { file, pidFile } = target;
    const current = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw new DnsFault("read", `hosts file ${file}: cannot read it: ${error.message}`, {
        cause: error,
      });
    });
    const next = renderHostsFile(current, records);
    if (next !== current) {
      this.told.delete(file);
      await writeFileAtomic(file, next).catch((error: unknown) => {
        throw new DnsFault("write", `hosts file ${file}: cannot write it: ${messageOf(error)}`, {
          cause: error,
        });
      });
    }
    // Also once at start-up: a previous run may have written the file and died before telling.
    if (this.told.has(file) || pidFile === undefined) return;
    await reloadDnsmasq(pidFile).catch((error: unknown) => {
      const message = `hosts file ${file} written, but dnsmasq not reloaded: ${messageOf(error)}`;
      throw new DnsFault("reload", message, { cause: error });
    });
    this.told.add(file);
  }
}
