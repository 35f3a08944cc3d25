/**
 * Reads a libvirt network's bridge and puts an address on it, with the programs an operator
 * would use: `virsh net-info` (read-only) and `ip addr`. Needs CAP_NET_ADMIN for the latter.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { virshEnv } from "../inventory/libvirt/spawn-virsh.js";
import type { ManagedAddress } from "./managed-addresses.js";

const run = promisify(execFile);

/** How virsh is run. */
export interface VirshOptions {
  readonly virsh: string;
  readonly uri: string;
  readonly timeoutMs: number;
}

/** The bridge of `network` when it is active; undefined when it is not running (or has none). */
export async function activeBridge(
  options: VirshOptions,
  network: string,
): Promise<string | undefined> {
  const { stdout } = await run(
    options.virsh,
    ["-q", "-r", "-c", options.uri, "net-info", "--network", network],
    { env: virshEnv(), timeout: options.timeoutMs },
  );
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)\\s*$`, "m").exec(stdout)?.[1];
  return field("Active") === "yes" ? field("Bridge") : undefined;
}

/** True when `bridge` has `address` (any prefix length). */
async function hasAddress(bridge: string, address: ManagedAddress): Promise<boolean> {
  const { stdout } = await run("ip", [
    "-j",
    address.v6 ? "-6" : "-4",
    "addr",
    "show",
    "dev",
    bridge,
  ]);
  const links = JSON.parse(stdout || "[]") as Array<{ addr_info?: Array<{ local?: string }> }>;
  return links.some((link) => link.addr_info?.some((info) => info.local === address.address));
}

/**
 * Puts `address` on `bridge` unless it is there; resolves true when it was added. IPv6 without
 * duplicate address detection: a tentative address cannot be listened on for a second or two.
 */
export async function ensureAddress(bridge: string, address: ManagedAddress): Promise<boolean> {
  if (await hasAddress(bridge, address)) return false;
  const args = ["addr", "replace", address.cidr, "dev", bridge, ...(address.v6 ? ["nodad"] : [])];
  await run("ip", address.v6 ? ["-6", ...args] : args);
  return true;
}
