/** The instance sources the config asks for. */
import type { Config } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import { LibvirtSource } from "./libvirt/libvirt-source.js";
import type { InstanceSource } from "./source.js";
import { StaticSource } from "./static/static-source.js";

/** How the sources are to run. */
export interface SourceOptions {
  /**
   * Keep sources current (libvirt events, lease-file watch, retries, periodic reloads). Off for
   * a one-shot look such as `mdserver list`.
   */
  readonly watch?: boolean;
  /** Told after each pass of a libvirt source's loop (for /metrics). */
  readonly observeLibvirt?: (source: string, seconds: number, ok: boolean) => void;
}

/** One source per kind named in mdserver.instance_source (libvirt: one per URI). */
export function createSources(
  config: Config,
  log: Logger,
  options: SourceOptions = {},
): InstanceSource[] {
  const sources: InstanceSource[] = [];
  for (const kind of config.mdserver.instance_source) {
    switch (kind) {
      case "static":
        sources.push(new StaticSource(config.instances));
        break;
      case "libvirt":
        // One source per connection: each host's guests, events and faults are its own.
        for (const uri of new Set(config.libvirt.uri)) {
          const observe = options.observeLibvirt;
          sources.push(
            new LibvirtSource({
              uri,
              virsh: config.libvirt.virsh,
              timeoutMs: config.libvirt.timeout * 1000,
              networks: config.dnsmasq.net_name,
              baseDir: config.dnsmasq.base_dir,
              refreshIntervalMs: config.libvirt.refresh_interval * 1000,
              leaseRefreshIntervalMs: config.libvirt.lease_refresh_interval * 1000,
              watch: options.watch ?? true,
              log,
              observe: observe && ((seconds, ok) => observe(`libvirt ${uri}`, seconds, ok)),
            }),
          );
        }
        break;
    }
  }
  return sources;
}
