/**
 * The meta-data/ tree for one identity: every leaf cloud-init, the AWS SDKs and ec2-metadata
 * read, each present (and listed) only when it has a value. Entries are in the alphabetical
 * order EC2 lists them in.
 */
import type { Config } from "../../config/config.js";
import type { Identity } from "../../inventory/instance.js";
import { isSafeName } from "../../util/safe-name.js";
import { dir, leaf, type Directory } from "../tree.js";
import type { GuestMeta } from "../guest-documents.js";
import { primaryIPv4, primaryIPv6, reservationId } from "./ec2-values.js";
import { instanceId } from "./instance-id.js";
import { networkTree } from "./network-interfaces.js";
import { publicKeysTree } from "./public-keys.js";

/** The meta-data/ directory of `identity`, with the zone, type and tags of `meta`. */
export function metaDataTree(config: Config, identity: Identity, meta: GuestMeta): Directory {
  const { instance } = identity;
  const { ec2 } = config;
  const ipv4 = primaryIPv4(identity);
  const ipv6 = primaryIPv6(identity);
  const publicHostname =
    ec2.public_domain === undefined ? undefined : `${instance.name}.${ec2.public_domain}`;
  return dir([
    ["ami-id", leaf(ec2.ami_id)],
    ["ami-launch-index", leaf("0")],
    ["hostname", leaf(instance.name)],
    ["instance-id", leaf(instanceId(config, identity))],
    ["instance-type", leaf(meta.type)],
    ["ipv6", ipv6 === undefined ? undefined : leaf(ipv6)],
    ["local-hostname", leaf(instance.name)],
    ["local-ipv4", ipv4 === undefined ? undefined : leaf(ipv4)],
    ["mac", identity.mac === undefined ? undefined : leaf(identity.mac)],
    ["network", networkTree(instance.name, instance.interfaces)],
    [
      "placement",
      dir([
        ["availability-zone", leaf(meta.zone)],
        ["region", leaf(ec2.region)],
      ]),
    ],
    ["public-hostname", publicHostname === undefined ? undefined : leaf(publicHostname)],
    ["public-keys", config.publicKeys.length > 0 ? publicKeysTree(config.publicKeys) : undefined],
    ["reservation-id", leaf(reservationId(identity))],
    ["services", dir([["domain", leaf(ec2.services_domain)]])],
    ["tags", tagsTree(meta.tags)],
  ]);
}

/**
 * tags/instance/: one leaf per tag, as EC2 serves them when instance tags are allowed in the
 * metadata. A tag whose name cannot be one path segment ("", ".", "..", or with "/") is left
 * out (EC2 does not allow such names there either). None: no tags/ at all.
 */
function tagsTree(tags: Readonly<Record<string, string>>): Directory | undefined {
  const usable = Object.entries(tags).filter(([name]) => isSafeName(name));
  if (usable.length === 0) return undefined;
  return dir([["instance", dir(usable.map(([name, value]) => [name, leaf(value)] as const))]]);
}
