/** The [dnsmasq] section: libvirt's network and the optional hosts-file management. */
import { z } from "zod";
import { bool, list, optionalName, text } from "../values.js";

const ENTRY_KINDS = ["base", "prefix", "domain", "fqdn"] as const;

/** The names a hosts line can carry for an instance, in the order entry_order gives. */
export type HostsEntryKind = "base" | "prefix" | "domain";

export const dnsmasqSection = z
  .object({
    manage_addnhosts: bool.default(false),
    base_dir: text.default("/var/lib/libvirt/dnsmasq"),
    /** One libvirt network name, or several separated by commas. */
    net_name: list().default(["mds"]),
    prefix: optionalName.default(null),
    domain: optionalName.default(null),
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
  })
  .strict();

export type DnsmasqConfig = z.output<typeof dnsmasqSection>;
