/**
 * The [admin] section (added by this project): the operator's listener for /healthz, /metrics
 * and the status page. It is for the host's operator, so loopback by default, and never on an
 * address guests can reach the metadata service at.
 */
import { z } from "zod";
import { canonicalAddress } from "../../util/address.js";
import { addressList, bool, integer } from "../values.js";

/** The metadata addresses guests use (EC2's IPv4 and IPv6), whatever listen_address says. */
const METADATA_ADDRESSES = ["169.254.169.254", "fd00:ec2::254"];

/** Addresses that mean "every address of the host", the metadata address among them. */
const WILDCARDS = ["0.0.0.0", "::"];

export const adminSection = z
  .object({
    enabled: bool.default(true),
    listen_address: addressList.default(["127.0.0.1"]),
    // 0 (any free port) is for tests; the status command then cannot find it.
    port: integer(0, 65535).default(9254),
  })
  .strict();

export type AdminConfig = z.output<typeof adminSection>;

/** A problem with the admin listener's place: its key and what is wrong. */
export interface AdminPlacementProblem {
  readonly key: "listen_address" | "port";
  readonly message: string;
}

/** True for 127.0.0.0/8 and ::1: only the host itself can connect there. */
function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.");
}

/**
 * Why the admin listener may not go where it is configured: on an address guests can reach
 * (the metadata addresses, a non-loopback mdserver.listen_address, every address), or on the
 * port the metadata service holds on the same address. A loopback metadata address (the demo,
 * tests) is reachable from the host alone, as the admin listener is meant to be.
 */
export function adminPlacementProblems(
  admin: AdminConfig,
  metadata: { readonly listen_address: readonly string[]; readonly port: number },
): AdminPlacementProblem[] {
  if (!admin.enabled) return [];
  const canonical = (address: string) => canonicalAddress(address.replace(/%.*$/, "")) ?? address;
  const served = metadata.listen_address.map(canonical);
  const reachable = new Set([...METADATA_ADDRESSES, ...served.filter((a) => !isLoopback(a))]);
  const problems: AdminPlacementProblem[] = [];
  for (const address of admin.listen_address.map(canonical)) {
    if (WILDCARDS.includes(address)) {
      problems.push({
        key: "listen_address",
        message: `${address} means every address, the metadata address too: guests could read every guest's status (use 127.0.0.1)`,
      });
    } else if (reachable.has(address)) {
      problems.push({
        key: "listen_address",
        message: `${address} is a metadata address: guests could read every guest's status (use 127.0.0.1)`,
      });
    } else if (admin.port === metadata.port && served.includes(address)) {
      problems.push({
        key: "port",
        message: `${address}:${admin.port} is where the metadata service listens (mdserver.port)`,
      });
    }
  }
  if (served.some((a) => WILDCARDS.includes(a)) && admin.port === metadata.port) {
    problems.push({
      key: "port",
      message: `${admin.port} is mdserver.port, and mdserver.listen_address holds every address`,
    });
  }
  return problems;
}
