/**
 * The built-in vendor-data: a #cloud-config that turns on cloud-init's phone_home module
 * towards mdserver itself, so that each guest reports when cloud-init has finished, with its
 * ssh host keys. It is the last step of the vendor-data search order (a guest's own
 * vendor-data file wins), and `[mdserver] phone_home = no` turns it off. Pure.
 */
import type { Config } from "../config/config.js";

/** The path guests post their boot reports to (mdserver's own, next to no metadata layout). */
export const BOOT_REPORT_PATH = ["mdserver", "boot-report"] as const;

/**
 * What the guest posts: the host keys known_hosts needs, and the ids. Not DSA (OpenSSH no
 * longer makes such keys) and not fqdn (its name here comes from libvirt, not from the guest).
 */
const POSTED = ["pub_key_rsa", "pub_key_ecdsa", "pub_key_ed25519", "instance_id", "hostname"];

/** The vendor-data text that makes cloud-init post to `url` once, at the end of its first boot. */
export function phoneHomeVendorData(url: string): string {
  // JSON strings are YAML strings: the URL cannot break out of its line.
  return [
    "#cloud-config",
    "# mdserver: report the end of cloud-init and the ssh host keys (mdserver known-hosts)",
    "phone_home:",
    `  url: ${JSON.stringify(url)}`,
    `  post: [${POSTED.join(", ")}]`,
    // cloud-init waits 3 s between tries; a server briefly away is retried, not waited for long.
    "  tries: 5",
    "",
  ].join("\n");
}

// Addresses that name no one place a guest could reach.
const UNSPECIFIED = new Set(["0.0.0.0", "::"]);

/**
 * The URL guests post to: `[mdserver] phone_home_url`, or this server's first listen address
 * (the metadata address, by default) and `port` (the one actually bound).
 */
export function phoneHomeUrl(config: Config, port: number): string {
  if (config.mdserver.phone_home_url !== undefined) return config.mdserver.phone_home_url;
  const first = config.mdserver.listen_address[0] ?? "169.254.169.254";
  const address = UNSPECIFIED.has(first) ? "169.254.169.254" : first;
  const host = address.includes(":") ? `[${address.replace(/%/, "%25")}]` : address;
  return `http://${host}${port === 80 ? "" : `:${port}`}/${BOOT_REPORT_PATH.join("/")}`;
}
