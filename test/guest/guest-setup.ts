/**
 * Makes a defined guest discoverable by cloud-init's ds-identify in one of mdserver's modes, as
 * an operator would: `mdserver guest-setup --mode MODE NAME` (SMBIOS values that a stock image
 * reads as "this is OpenStack / a NoCloud seed at this URL / EC2", REFERENCE.md §2).
 */
import { randomUUID } from "node:crypto";
import { MDSERVER_BIN } from "../helpers/cli.js";
import { run } from "../helpers/daemon.js";

/** How the guest finds mdserver. */
export type GuestMode = "openstack" | "nocloud" | "ec2";

/** The datasource cloud-init must pick in each mode (as its status names it). */
export const DATASOURCE: Record<GuestMode, string> = {
  openstack: "DataSourceOpenStack",
  nocloud: "DataSourceNoCloudNet",
  ec2: "DataSourceEc2",
};

/**
 * A UUID for a new domain: EC2 detection needs one starting with "ec2" (and a UUID cannot
 * change once the domain is defined, so this is chosen before).
 */
export function uuidFor(mode: GuestMode): string {
  const uuid = randomUUID();
  return mode === "ec2" ? `ec2${uuid.slice(3)}` : uuid;
}

/**
 * Sets the (defined, stopped) guest up with the built CLI, reading the libvirt URI from
 * mdserver's config; resolves with what the command printed.
 */
export function setUpGuest(config: string, name: string, mode: GuestMode): Promise<string> {
  const args = ["guest-setup", "--config", config, "--mode", mode, name];
  return run(process.execPath, [MDSERVER_BIN, ...args]);
}
