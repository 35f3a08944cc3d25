/** What the DNS tests share: config text, and changing the static source's instances. */
import type { StaticInstanceConfig } from "../../../src/config/config.js";
import { StaticSource } from "../../../src/inventory/static/static-source.js";
import type { RunningMdserver } from "../../../src/mdserver.js";

/** A static instance at one address. */
export function guest(name: string, ip: string, network?: string): StaticInstanceConfig {
  return { name, ip: [ip], network };
}

/** [instance:NAME] sections for `guests`. */
export function instanceSections(guests: readonly StaticInstanceConfig[]): string {
  return guests
    .map(
      (g) =>
        `[instance:${g.name}]\nip = ${g.ip.join(", ")}\n${g.network ? `network = ${g.network}\n` : ""}`,
    )
    .join("\n");
}

/** An mdserver.conf on 127.0.0.1 with DNS management on and `dnsmasq` keys added. */
export function dnsConfig(
  dnsmasqKeys: string,
  options: { sources?: string; more?: string } = {},
): string {
  return `[mdserver]
listen_address = 127.0.0.1
userdata_dir = userdata
logfile = -
instance_source = ${options.sources ?? "static"}

[dnsmasq]
manage_addnhosts = yes
${dnsmasqKeys}
${options.more ?? ""}`;
}

/**
 * Replaces the static source's instances with `guests`, as a config change would, and waits
 * until DNS has been brought up to date (or has failed trying).
 */
export async function publishStatic(
  server: RunningMdserver,
  guests: readonly StaticInstanceConfig[],
): Promise<void> {
  await new StaticSource(guests).start(server.inventory);
  await server.dns?.idle();
}
