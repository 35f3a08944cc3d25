/**
 * Makes a defined guest discoverable by cloud-init's ds-identify in one of mdserver's modes
 * (REFERENCE.md §2): SMBIOS fields that a stock image reads as "this is OpenStack / a NoCloud
 * seed at this URL / EC2". The one place the test decides how a guest finds mdserver, to be
 * replaced by `mdserver guest-setup NAME --mode MODE` once that command lands.
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

/** Sets the (defined, stopped) guest up with `mdserver guest-setup --mode MODE`. */
export async function setUpGuest(config: string, name: string, mode: GuestMode): Promise<void> {
  await run(process.execPath, [
    MDSERVER_BIN,
    "guest-setup",
    "--config",
    config,
    "--mode",
    mode,
    name,
  ]);
}
