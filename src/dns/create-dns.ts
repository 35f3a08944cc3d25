/** The DNS publishing the [dnsmasq] section asks for, if any. */
import type { Config } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import type { DnsBackend } from "./dns-backend.js";
import { DnsManager } from "./dns-manager.js";
import type { Serves } from "./dns-records.js";
import { HostsFileBackend } from "./hosts-file-backend.js";
import { LibvirtDnsBackend } from "./libvirt-dns-backend.js";

/** The backend for dnsmasq.dns_mode; undefined when manage_addnhosts is off. */
export function createDnsBackend(config: Config): DnsBackend | undefined {
  const { dnsmasq, libvirt } = config;
  if (!dnsmasq.manage_addnhosts) return undefined;
  switch (dnsmasq.dns_mode) {
    case "addn-hosts":
      return new HostsFileBackend({
        baseDir: dnsmasq.base_dir,
        networks: dnsmasq.net_name,
        addnHosts: dnsmasq.addn_hosts,
        pidFile: dnsmasq.pid_file,
      });
    case "libvirt":
      return new LibvirtDnsBackend({
        uris: libvirt.uri,
        networks: dnsmasq.net_name,
        stateFile: dnsmasq.dns_state_file,
        virsh: { virsh: libvirt.virsh, timeoutMs: libvirt.timeout * 1000 },
      });
  }
}

/** A DNS manager for the config; undefined when manage_addnhosts is off. */
export function createDnsManager(
  config: Config,
  log: Logger,
  serves?: Serves,
): DnsManager | undefined {
  const backend = createDnsBackend(config);
  return backend && new DnsManager(backend, config.dnsmasq, log, serves);
}
