/** meta-data/network/interfaces/macs/<mac>/: what cloud-init renders the guest's network from. */
import { isIPv4 } from "../../util/address.js";
import type { NetworkInterface } from "../../inventory/instance.js";
import { dir, leaf, type Directory } from "../tree.js";

/**
 * One directory per interface that has a MAC, numbered in the domain's order (device-number 0
 * is the first NIC, which cloud-init makes the primary one). Address lists are only present
 * when the interface has such addresses: cloud-init turns ipv6s into "dhcp6: true".
 */
export function networkTree(
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
          ["ipv6s", v6.length > 0 ? leaf(v6.join("\n")) : undefined],
          ["local-hostname", leaf(hostname)],
          ["local-ipv4s", v4.length > 0 ? leaf(v4.join("\n")) : undefined],
          ["mac", leaf(iface.mac)],
        ]),
      ] as const;
    }),
  );
  return dir([["interfaces", dir([["macs", macs]])]]);
}
