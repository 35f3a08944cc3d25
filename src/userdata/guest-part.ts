/**
 * The per-guest parts read from userdata_dir and the file names each is searched under. Pure.
 * user-data keeps the original's order (`NAME`, `NAME.yaml`, `MAC`, `MAC.yaml`); every other
 * part has a suffix of its own (`NAME.vendor-data`, then `MAC.vendor-data`).
 */
import { isSafeName } from "../util/safe-name.js";
import { userdataCandidates } from "./userdata-candidates.js";

/** The parts, by the name `mdserver render --part` takes. */
export const PARTS = ["user-data", "vendor-data", "network-config", "meta-data"] as const;
export type Part = (typeof PARTS)[number];

/** The element of a domain's <metadata> that names a part's file (see domain-metadata.ts). */
export const PART_ELEMENT = {
  "user-data": "userdata",
  "vendor-data": "vendor-data",
  "network-config": "network-config",
  "meta-data": "meta-data",
} as const satisfies Record<Part, string>;

/**
 * File names to try in userdata_dir for `part`, first match wins. A name that is not a single
 * safe path component is skipped, never used.
 */
export function partCandidates(part: Part, name: string, mac: string | undefined): string[] {
  if (part === "user-data") return userdataCandidates(name, mac);
  const bases = [name, mac].filter((b): b is string => b !== undefined && isSafeName(b));
  return bases.map((base) => `${base}.${part}`);
}
