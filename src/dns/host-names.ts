/**
 * Guest names as DNS host names (RFC 1123), and the names a guest gets from the original's
 * prefix, domain and entry_order settings. Pure.
 *
 * The one mapping rule: a name is lower-cased; every run of characters other than a-z, 0-9,
 * "-" and "." becomes one "-"; each dot-separated label loses its leading and trailing "-",
 * empty labels are dropped, and a label longer than 63 characters is cut to 63. What comes
 * out must be a valid host name (RFC 1123: at most 253 characters, the last label not all
 * digits), or the name is not published. "Web_1" → "web-1", "db.lab" stays "db.lab".
 */
import type { HostsEntryKind } from "../config/sections/dnsmasq.js";

/** The settings that decide a guest's names (the [dnsmasq] keys of the original). */
export interface Naming {
  readonly prefix: string | null;
  readonly domain: string | null;
  readonly entry_order: readonly HostsEntryKind[];
}

// Dot-separated labels of 1 to 63 letters, digits and inner hyphens.
const HOST_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// "a.b.c.d" with a numeric last label would read as an address (RFC 1123 §2.1).
const NUMERIC_END = /(^|\.)\d+$/;

/** True for a valid host name as RFC 1123 (and RFC 952's letters, digits, hyphens) has it. */
export function isHostName(name: string): boolean {
  return name.length <= 253 && HOST_NAME.test(name) && !NUMERIC_END.test(name);
}

/** The host name a guest name maps to by the rule above, or undefined when none is left. */
export function toHostName(name: string): string | undefined {
  // Most names are valid as they are.
  if (isHostName(name)) return name;
  const labels = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .split(".")
    .map((label) => label.replace(/^-+/, "").slice(0, 63).replace(/-+$/, ""))
    .filter((label) => label !== "");
  const mapped = labels.join(".");
  return isHostName(mapped) ? mapped : undefined;
}

/**
 * The names of a guest whose host name is `base`, in entry_order, as the original built them:
 * base → the name; prefix → <prefix><name> (left out when prefix is unset); domain (fqdn) →
 * <prefix><name>.<domain>, or <name>.<domain> without a prefix (left out when domain is
 * unset, where the original crashed). Repeated names appear once; names that are not valid
 * host names (too long once prefixed, say) are left out.
 */
export function namesFor(base: string, naming: Naming): string[] {
  const prefix = naming.prefix?.toLowerCase();
  const domain = naming.domain?.toLowerCase();
  const prefixed = prefix ? `${prefix}${base}` : base;
  const names: string[] = [];
  for (const kind of naming.entry_order) {
    const name =
      kind === "base"
        ? base
        : kind === "prefix"
          ? prefix && prefixed
          : domain && `${prefixed}.${domain}`;
    if (name && !names.includes(name) && isHostName(name)) names.push(name);
  }
  return names;
}
