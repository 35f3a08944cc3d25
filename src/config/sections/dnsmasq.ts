/** The [dnsmasq] section: libvirt's network and the optional guest-name (DNS) management. */
import { z } from "zod";
import { bool, list, oneOf, optionalName, text } from "../values.js";

const ENTRY_KINDS = ["base", "prefix", "domain", "fqdn"] as const;

/** The names a hosts line can carry for an instance, in the order entry_order gives. */
export type HostsEntryKind = "base" | "prefix" | "domain";

/** How guest names reach DNS: a dnsmasq additional hosts file, or libvirt's network DNS. */
export const DNS_MODES = ["addn-hosts", "libvirt"] as const;

// What a prefix may hold: it starts the first label of a host name (e.g. "test-").
const PREFIX = /^[a-z0-9][a-z0-9-]*$/i;
// A domain: dot-separated labels of letters, digits and inner hyphens.
const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export const dnsmasqSection = z
  .object({
    manage_addnhosts: bool.default(false),
    base_dir: text.default("/var/lib/libvirt/dnsmasq"),
    /** One libvirt network name, or several separated by commas. */
    net_name: list().default(["mds"]),
    prefix: optionalName.default(null),
    // The original's own default was ".example.com": a leading or trailing dot means nothing.
    domain: optionalName.transform((d) => d?.replace(/^\.+|\.+$/g, "") || null).default(null),
    entry_order: list((item) =>
      (ENTRY_KINDS as readonly string[]).includes(item.toLowerCase())
        ? undefined
        : `"${item}" is not one of ${ENTRY_KINDS.join(", ")}`,
    )
      // "fqdn" was the original's other name for "domain".
      .transform((items) =>
        items.map((i) => {
          const kind = i.toLowerCase();
          return (kind === "fqdn" ? "domain" : kind) as HostsEntryKind;
        }),
      )
      .default(["base"]),
    // Added by this project.
    dns_mode: oneOf(DNS_MODES).default("addn-hosts"),
    /** A hosts file of a dnsmasq libvirt does not manage (instead of <net_name>.conf's). */
    addn_hosts: text.optional(),
    /** That dnsmasq's pid file: it is sent SIGHUP after each change of the file. */
    pid_file: text.optional(),
    /** Where dns_mode = libvirt records the entries it added (to remove them, and only them). */
    dns_state_file: text.default("/var/lib/mdserver/libvirt-dns.json"),
  })
  .strict()
  .superRefine((d, ctx) => {
    const problem = (key: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [key], message });
    // Checked only where names are written: a config that never manages DNS keeps starting.
    if (d.manage_addnhosts && d.prefix !== null && !PREFIX.test(d.prefix)) {
      problem("prefix", `"${d.prefix}" cannot start a host name (use letters, digits and -)`);
    }
    if (
      d.manage_addnhosts &&
      d.domain !== null &&
      (!DOMAIN.test(d.domain) || d.domain.length > 200)
    ) {
      problem("domain", `"${d.domain}" is not a domain name (labels of letters, digits and -)`);
    }
    if (d.pid_file !== undefined && d.addn_hosts === undefined) {
      problem(
        "pid_file",
        "is used only with dnsmasq.addn_hosts (otherwise libvirt's <net_name>.conf names it)",
      );
    }
    if (d.dns_mode === "libvirt") {
      for (const key of ["addn_hosts", "pid_file"] as const) {
        if (d[key] !== undefined) problem(key, "has no effect with dns_mode = libvirt");
      }
    }
  });

export type DnsmasqConfig = z.output<typeof dnsmasqSection>;
