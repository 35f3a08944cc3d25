/** The [mdserver] section: the server itself. Keys and defaults of the original come first. */
import { z } from "zod";
import { PYTHON_LOG_LEVELS } from "../original-style.js";
import { addressList, bool, httpUrl, integer, list, oneOf, port, text } from "../values.js";

/** Where instances come from; several may be combined. */
export const INSTANCE_SOURCES = ["libvirt", "static"] as const;
export type InstanceSourceKind = (typeof INSTANCE_SOURCES)[number];

export const mdserverSection = z
  .object({
    port: port.default(80),
    listen_address: addressList.default(["169.254.169.254"]),
    // Python's fatal and notset, which the original took, are read as critical and debug.
    loglevel: oneOf(["debug", "info", "warning", "warn", "error", "critical", "fatal", "notset"])
      .transform((level) =>
        level === "fatal" || level === "notset" ? PYTHON_LOG_LEVELS[level] : level,
      )
      .default("info"),
    /** A path, or "-"/"stdout" for standard output (journald under systemd). */
    logfile: z.string().trim().default("/var/log/mdserver.log"),
    debug: bool.default(false),
    userdata_dir: text.default("/etc/mdserver/userdata"),
    password: text.optional(),
    default_template: text.optional(),
    hostname_prefix: text.default("vm"),
    // Added by this project.
    instance_source: list((item) =>
      (INSTANCE_SOURCES as readonly string[]).includes(item.toLowerCase())
        ? undefined
        : `"${item}" is not an instance source (use ${INSTANCE_SOURCES.join(", ")})`,
    )
      .transform((items) => [...new Set(items.map((i) => i.toLowerCase() as InstanceSourceKind))])
      .default(["libvirt"]),
    fallback_identity: bool.default(false),
    userdata_fallback: bool.default(true),
    /**
     * How stock images are made to ask (see mdserver guest-setup): its default mode, and what
     * `mdserver list` and the start-up log check domains for; "none" checks nothing.
     */
    guest_setup: oneOf(["openstack", "nocloud", "ec2", "none"]).default("openstack"),
    /** Serve a vendor-data that makes cloud-init post a boot report here, and accept it. */
    phone_home: bool.default(true),
    /** Where guests post it; unset: this server's first listen address and port. */
    phone_home_url: httpUrl.optional(),
    /** Where boot reports are kept across restarts. */
    boot_reports_file: text.default("/var/lib/mdserver/boot-reports.json"),
    /** Put the metadata address(es) on the bridge of every served libvirt network. */
    manage_address: bool.default(false),
    /** Limits that keep one guest from denying service to the others (src/http/limits.ts). */
    max_connections: integer(1, 1_000_000, "connections").default(1000),
    max_client_connections: integer(1, 1_000_000, "connections").default(16),
    client_rate: integer(0, 1_000_000, "requests per second").default(100),
    client_burst: integer(1, 1_000_000, "requests").default(200),
  })
  .strict();

export type MdserverConfig = z.output<typeof mdserverSection>;

/** True when the logfile setting means standard output ("-", "stdout" or empty). */
export function logsToStdout(logfile: string): boolean {
  return logfile === "" || logfile === "-" || logfile.toLowerCase() === "stdout";
}
