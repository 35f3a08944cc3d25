/**
 * Which guest document a metadata path fetches, in any layout: what the status page's
 * "meta-data" and "user-data" columns record. Listings and probes are neither.
 */

/** A document a guest fetches. */
export type DocumentKind = "meta-data" | "user-data";

const EC2_META = new Set(["meta-data", "dynamic"]);
const OPENSTACK_META = new Set(["meta_data.json", "network_data.json"]);
const NOCLOUD_META = new Set(["meta-data", "network-config"]);

/** The document `segments` (a normalised path) fetches, if any. */
export function documentKind(segments: readonly string[]): DocumentKind | undefined {
  const [first, second, third] = segments;
  if (first === "openstack") {
    if (third === "user_data") return "user-data";
    return third !== undefined && OPENSTACK_META.has(third) ? "meta-data" : undefined;
  }
  if (first === "nocloud") {
    if (second === "user-data") return "user-data";
    return second !== undefined && NOCLOUD_META.has(second) ? "meta-data" : undefined;
  }
  // EC2: /<version>/meta-data/…, /<version>/user-data, /<version>/dynamic/…
  if (first === undefined || second === undefined) return undefined;
  if (second === "user-data" && segments.length === 2) return "user-data";
  return EC2_META.has(second) ? "meta-data" : undefined;
}
