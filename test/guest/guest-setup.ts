/**
 * Makes a defined guest discoverable by cloud-init's ds-identify in one of mdserver's modes
 * (REFERENCE.md §2): SMBIOS fields that a stock image reads as "this is OpenStack / a NoCloud
 * seed at this URL / EC2". The one place the test decides how a guest finds mdserver, to be
 * replaced by `mdserver guest-setup NAME --mode MODE` once that command lands.
 */
import { randomUUID } from "node:crypto";
import type { TestLibvirtd } from "../helpers/libvirtd.js";
import { METADATA_ADDRESS } from "../helpers/netns.js";

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

/** The SMBIOS system entries of each mode. */
function systemEntries(mode: GuestMode, uuid: string): Record<string, string> {
  switch (mode) {
    case "openstack":
      return { product: "OpenStack Nova" };
    case "nocloud":
      // nocloud-net: plain "nocloud" is local mode and drops the seed (REFERENCE.md §2).
      return { serial: `ds=nocloud-net;s=http://${METADATA_ADDRESS}/nocloud/` };
    case "ec2":
      // ds-identify wants the DMI UUID and serial both ec2-prefixed and equal.
      return { serial: uuid };
  }
}

/** Adds the mode's SMBIOS sysinfo to the domain's persistent definition. */
export async function setUpGuest(
  libvirt: TestLibvirtd,
  name: string,
  mode: GuestMode,
  defineFile: (xml: string) => Promise<string>,
): Promise<void> {
  const xml = await libvirt.virsh("dumpxml", "--inactive", name);
  const uuid = /<uuid>([^<]+)<\/uuid>/.exec(xml)?.[1] ?? "";
  const entries = Object.entries(systemEntries(mode, uuid))
    .map(([key, value]) => `<entry name="${key}">${value}</entry>`)
    .join("");
  const changed = xml
    .replace(/(\n\s*)<os>/, `$1<sysinfo type="smbios"><system>${entries}</system></sysinfo>$1<os>`)
    .replace("</os>", `  <smbios mode="sysinfo"/>\n  </os>`);
  await libvirt.virsh("define", await defineFile(changed));
}
