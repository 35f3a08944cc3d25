/**
 * Keys that later releases of the original tool (0.6 and on) read, and which have no meaning
 * here. A config written for those releases must still start, so these are accepted with a
 * warning instead of failing as unknown keys.
 */
export const LEGACY_KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["mdserver", new Set(["db_file"])],
  [
    "dnsmasq",
    new Set(["net_address", "net_prefix", "gateway", "interface", "use_dns", "lease_len"]),
  ],
]);
