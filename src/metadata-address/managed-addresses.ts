/**
 * Which of the listen addresses `[mdserver] manage_address` puts on the bridges: the metadata
 * address (169.254.169.254, and fd00:ec2::254 when it is listened on), each as a host address
 * (/32, /128). Addresses that already exist wherever they are (any-address, loopback, a link-
 * local address with its interface) are left alone. Pure.
 */
import { isIP } from "node:net";
import { canonicalAddress } from "../util/address.js";

/** An address to put on a bridge, in `ip addr` form. */
export interface ManagedAddress {
  readonly address: string;
  /** "ADDRESS/32" or "ADDRESS/128". */
  readonly cidr: string;
  readonly v6: boolean;
}

const UNMANAGED = /^(0\.0\.0\.0|::|::1|127\.\d+\.\d+\.\d+)$/;

/** The addresses of `listen` to manage (see the module comment), in their order. */
export function managedAddresses(listen: readonly string[]): ManagedAddress[] {
  return listen.flatMap((written) => {
    // As `ip addr` prints it, so that finding it on the bridge compares like with like.
    if (written.includes("%")) return [];
    const address = canonicalAddress(written) ?? written;
    const family = isIP(address);
    if (family === 0 || UNMANAGED.test(address)) return [];
    const v6 = family === 6;
    return [{ address, cidr: `${address}/${v6 ? 128 : 32}`, v6 }];
  });
}
