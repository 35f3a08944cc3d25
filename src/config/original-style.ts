/**
 * What the original mdserver (0.5) read, so that its users' config files keep working as they
 * did: which files are "original-style" (every section and key one the original knew), and the
 * settings it tolerated that a strict reading would refuse. Pure.
 */
import type { IniSection } from "./ini.js";
import { LEGACY_KEYS } from "./legacy-keys.js";

/** The original's sections and keys; null: any key (names the user chooses). */
const ORIGINAL_KEYS: ReadonlyMap<string, ReadonlySet<string> | null> = new Map([
  [
    "mdserver",
    new Set([
      "port",
      "listen_address",
      "loglevel",
      "logfile",
      "userdata_dir",
      "debug",
      "password",
      "default_template",
      "hostname_prefix",
    ]),
  ],
  ["public-keys", null],
  ["template-data", null],
  [
    "dnsmasq",
    new Set(["manage_addnhosts", "base_dir", "net_name", "prefix", "domain", "entry_order"]),
  ],
  ["service", new Set(["name", "type", "version", "ec2_versions"])],
]);

/**
 * True when every section and key is one the original read (or one of its later releases'
 * keys, which this mdserver ignores): a file written for the original, whose guests were given
 * its instance-id form. An empty file, or none, is one too.
 */
export function isOriginalStyle(sections: ReadonlyMap<string, IniSection>): boolean {
  for (const [name, section] of sections) {
    if (!ORIGINAL_KEYS.has(name)) return false;
    const keys = ORIGINAL_KEYS.get(name);
    if (keys === null || keys === undefined) continue;
    for (const key of section.entries.keys()) {
      if (!keys.has(key) && !LEGACY_KEYS.get(name)?.has(key)) return false;
    }
  }
  return true;
}

/** Keys whose empty value the original read as "not set". */
export const EMPTY_MEANS_UNSET: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["mdserver", new Set(["password", "default_template"])],
]);

/** Python's logging level names the original accepted and their equivalents here. */
export const PYTHON_LOG_LEVELS = { fatal: "critical", notset: "debug" } as const;
