/**
 * Guest names in libvirt's own network DNS (dns_mode = libvirt), with no file of dnsmasq's
 * touched: `virsh net-update NET add-last|delete dns-host '<host ip=…><hostname>…' --live
 * --config`, after which libvirt rewrites its dnsmasq's hosts and reloads it. The entries
 * mdserver added are tracked in dnsmasq.dns_state_file (see dns-state.ts and dns-host-plan.ts):
 * a restart neither adds them twice nor leaves stale ones behind, and others' are not touched.
 */
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { dirname } from "node:path";
import {
  DnsFault,
  faultKey,
  libvirtUriOf,
  messageOf,
  networkOf,
  type DnsBackend,
  type DnsProblems,
} from "./dns-backend.js";
import { dnsHostXml, parseDnsHosts, sameEntry, type HostEntry } from "./dns-host-xml.js";
import { planDnsHosts } from "./dns-host-plan.js";
import type { DnsRecord } from "./dns-records.js";
import { loadTracked, saveTracked, type TrackedEntry } from "./dns-state.js";
import { virshCommand, type VirshSettings } from "./virsh-command.js";

/** Which networks, on which connections, and where the tracking is kept. */
export interface LibvirtDnsSettings {
  /** The configured URIs; the first is used for guests not learnt from libvirt. */
  readonly uris: readonly string[];
  readonly networks: readonly string[];
  readonly stateFile: string;
  readonly virsh: VirshSettings;
}

/** One network on one connection, and the entries wanted there. */
interface Group {
  readonly uri: string;
  readonly network: string;
  readonly desired: HostEntry[];
}

const inGroup = (group: { uri: string; network: string }) => (e: TrackedEntry) =>
  e.uri === group.uri && e.network === group.network;

export class LibvirtDnsBackend implements DnsBackend {
  constructor(private readonly settings: LibvirtDnsSettings) {}

  async sync(records: readonly DnsRecord[]): Promise<DnsProblems> {
    const problems: DnsProblems = new Map();
    const fail = (what: string, error: unknown) =>
      problems.set(faultKey(what, error), { message: messageOf(error), degrading: true });
    let state: TrackedEntry[];
    try {
      state = await loadTracked(this.settings.stateFile);
    } catch (error) {
      fail("libvirt dns state", new DnsFault("state", messageOf(error)));
      return problems;
    }
    for (const group of this.groups(records, state)) {
      const where = `network ${group.network} on ${group.uri}`;
      try {
        state = await this.syncGroup(group, state, (entry, other) =>
          problems.set(`clash ${group.uri} ${group.network} ${entry.ip}`, {
            message: `${where}: ${entry.ip} ${entry.names.join(" ")} not added: it clashes with the entry ${other.ip} ${other.names.join(" ")} (not mdserver's)`,
            degrading: false,
          }),
        );
      } catch (error) {
        fail(`libvirt dns ${where}`, error);
      }
    }
    return problems;
  }

  async check(): Promise<string[]> {
    const problems: string[] = [];
    const { stateFile, uris, networks } = this.settings;
    await loadTracked(stateFile).catch((e: unknown) => problems.push(messageOf(e)));
    // The directory is created when missing; an existing one must be writable.
    await access(dirname(stateFile), constants.W_OK).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") problems.push(`cannot write ${stateFile}: ${e.message}`);
    });
    for (const uri of uris) {
      for (const network of networks) {
        await this.current(uri, network).catch((e: unknown) => problems.push(messageOf(e)));
      }
    }
    return problems;
  }

  /** The networks with entries wanted or tracked, each with the entries wanted there. */
  private groups(records: readonly DnsRecord[], tracked: readonly TrackedEntry[]): Group[] {
    const { uris, networks } = this.settings;
    const groups = new Map<string, Group>();
    const group = (uri: string, network: string) => {
      const key = `${uri}\n${network}`;
      const found = groups.get(key) ?? { uri, network, desired: [] };
      groups.set(key, found);
      return found;
    };
    for (const record of records) {
      const network = networkOf(record, networks);
      const uri = libvirtUriOf(record) ?? uris[0];
      if (network === undefined || uri === undefined) continue;
      group(uri, network).desired.push({ ip: record.address, names: record.names });
    }
    for (const entry of tracked) group(entry.uri, entry.network);
    return [...groups.values()];
  }

  /** Applies one network's plan; returns the new state (every network's tracked entries). */
  private async syncGroup(
    group: Group,
    state: readonly TrackedEntry[],
    clash: (entry: HostEntry, other: HostEntry) => void,
  ): Promise<TrackedEntry[]> {
    const others = state.filter((e) => !inGroup(group)(e));
    const tracked = state.filter(inGroup(group));
    const current = await this.current(group.uri, group.network);
    if (current === undefined) {
      // The network is gone, and with it every entry mdserver had added there.
      if (tracked.length > 0) await saveTracked(this.settings.stateFile, others);
      if (group.desired.length === 0) return others;
      throw new DnsFault("network", `network ${group.network} on ${group.uri} does not exist`);
    }
    const plan = planDnsHosts(tracked, group.desired, current);
    for (const { entry, with: other } of plan.clashes) clash(entry, other);
    const own = (entries: readonly HostEntry[]) =>
      entries.map((e) => ({ uri: group.uri, network: group.network, ip: e.ip, names: e.names }));
    const after = [...plan.keep];
    if (plan.remove.length > 0 || plan.add.length > 0) {
      // Written first: an entry in libvirt that mdserver added is always in the state file.
      const ahead = [...others, ...own([...plan.keep, ...plan.remove, ...plan.add])];
      await saveTracked(this.settings.stateFile, ahead).catch((error: unknown) => {
        throw new DnsFault("state", `cannot record DNS entries: ${messageOf(error)}`);
      });
      let failure: unknown;
      for (const entry of plan.remove) {
        await this.update(group, "delete", entry).catch((error: unknown) => {
          failure ??= error;
          after.push(entry);
        });
      }
      for (const entry of plan.add) {
        await this.update(group, "add-last", entry).then(
          () => after.push(entry),
          (error: unknown) => (failure ??= error),
        );
      }
      if (failure !== undefined) {
        await saveTracked(this.settings.stateFile, [...others, ...own(after)]).catch(() => {});
        throw new DnsFault("update", messageOf(failure));
      }
    }
    const next = [...others, ...own(after)];
    const same = next.length === state.length && next.every((e) => state.some(sameTracked(e)));
    if (!same) await saveTracked(this.settings.stateFile, next);
    return next;
  }

  /** The network's DNS entries; undefined when there is no such network. */
  private async current(uri: string, network: string): Promise<HostEntry[] | undefined> {
    try {
      return parseDnsHosts(await virshCommand(this.settings.virsh, uri, ["net-dumpxml", network]));
    } catch (error) {
      if (/network not found/i.test(messageOf(error))) return undefined;
      throw new DnsFault("read", messageOf(error), { cause: error });
    }
  }

  private async update(group: Group, command: string, entry: HostEntry): Promise<void> {
    const args = ["net-update", group.network, command, "dns-host", dnsHostXml(entry)];
    await virshCommand(this.settings.virsh, group.uri, [...args, "--live", "--config"]);
  }
}

const sameTracked = (a: TrackedEntry) => (b: TrackedEntry) =>
  a.uri === b.uri && a.network === b.network && sameEntry(a, b);
