/**
 * The meta-data/ tree for one identity: every leaf cloud-init, the AWS SDKs and ec2-metadata
 * read, each present only when it has a value.
 */
import type { Config } from "../../config/config.js";
import { isIPv4 } from "../../inventory/address.js";
import type { Identity, NetworkInterface } from "../../inventory/instance.js";
import { dir, leaf, type Directory } from "../tree.js";
import { instanceId } from "./instance-id.js";
import { publicKeysTree } from "./public-keys.js";

export function metaDataTree(config: Config, identity: Identity): Directory {
  const { instance } = identity;
  const { ec2 } = config;
  const ipv4 = primaryIPv4(identity);
  const ipv6 = instance.interfaces.flatMap((i) => i.addresses).find((a) => !isIPv4(a));
  return dir([
    ["ami-id", leaf(ec2.ami_id)],
    ["ami-launch-index", leaf("0")],
    ["hostname", leaf(instance.name)],
    ["instance-id", leaf(instanceId(config, identity))],
    ["instance-type", leaf(ec2.instance_type)],
    ["ipv6", ipv6 === undefined ? undefined : leaf(ipv6)],
    ["local-hostname", leaf(instance.name)],
    ["local-ipv4", ipv4 === undefined ? undefined : leaf(ipv4)],
    ["mac", identity.mac === undefined ? undefined : leaf(identity.mac)],
    ["network", networkTree(instance.name, instance.interfaces)],
    [
      "placement",
      dir([
        ["availability-zone", leaf(availabilityZone(config))],
        ["region", leaf(ec2.region)],
      ]),
    ],
    ["public-keys", config.publicKeys.length > 0 ? publicKeysTree(config.publicKeys) : undefined],
    ["services", dir([["domain", leaf(ec2.services_domain)]])],
  ]);
}

/** The configured availability zone, or the region with "a" appended. */
export function availabilityZone(config: Config): string {
  return config.ec2.availability_zone ?? `${config.ec2.region}a`;
}

/** The IPv4 address the guest asked from, else the first IPv4 address it has. */
export function primaryIPv4(identity: Identity): string | undefined {
  if (isIPv4(identity.address)) return identity.address;
  return identity.instance.interfaces.flatMap((i) => i.addresses).find(isIPv4);
}

/** network/interfaces/macs/<mac>/: what cloud-init renders the guest's network from. */
function networkTree(
  hostname: string,
  interfaces: readonly NetworkInterface[],
): Directory | undefined {
  const withMac = interfaces.filter((i): i is NetworkInterface & { mac: string } => !!i.mac);
  if (withMac.length === 0) return undefined;
  const macs = dir(
    withMac.map((iface, index) => {
      const v4 = iface.addresses.filter(isIPv4);
      const v6 = iface.addresses.filter((a) => !isIPv4(a));
      return [
        iface.mac,
        dir([
          ["device-number", leaf(String(index))],
          ["local-hostname", leaf(hostname)],
          ["local-ipv4s", v4.length > 0 ? leaf(v4.join("\n")) : undefined],
          ["ipv6s", v6.length > 0 ? leaf(v6.join("\n")) : undefined],
          ["mac", leaf(iface.mac)],
        ]),
      ] as const;
    }),
  );
  return dir([["interfaces", dir([["macs", macs]])]]);
}
