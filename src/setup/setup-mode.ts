/**
 * How a guest's cloud-init is made to look for mdserver: what each mode puts in the domain's
 * SMBIOS system table (the guest's DMI), which is what cloud-init's ds-identify reads.
 */

/** The ways a stock image can be made to ask. */
export const SETUP_MODES = ["openstack", "nocloud", "ec2"] as const;
export type SetupMode = (typeof SETUP_MODES)[number];

/** The DMI product name cloud-init takes for OpenStack. */
export const OPENSTACK_PRODUCT = "OpenStack Nova";

/**
 * The DMI serial that makes cloud-init's NoCloud datasource fetch its seed from mdserver in
 * its network stage. "nocloud-net": plain "nocloud" is local mode, and cloud-init 22.4 then
 * fetches the seed and discards it (measured with a real guest).
 */
export const NOCLOUD_SERIAL = "ds=nocloud-net;s=http://169.254.169.254/nocloud/";

/** An SMBIOS system entry (libvirt's <sysinfo><system><entry name=…>). */
export type SystemEntry = "product" | "serial";

/** What a mode needs in the system table: entries to set, and others' marks to remove. */
export interface SmbiosPlan {
  readonly set: ReadonlyArray<readonly [SystemEntry, string]>;
  /** An entry whose value the test accepts is another mode's mark, and is removed. */
  readonly remove: ReadonlyArray<readonly [SystemEntry, (value: string) => boolean]>;
}

const isOpenStackProduct = (value: string) => /^OpenStack (Nova|Compute)$/i.test(value);
const isNoCloudSerial = (value: string) => /^ds=nocloud/i.test(value);

/** True for a UUID the Ec2 detection accepts (it must start with "ec2"). */
export function isEc2Uuid(uuid: string): boolean {
  return /^ec2/i.test(uuid);
}

/**
 * The plan for `mode` on a domain with UUID `uuid`. Another mode's mark left in place would
 * make ds-identify find that datasource too, and its list puts NoCloud and Ec2 before OpenStack.
 */
export function smbiosPlan(mode: SetupMode, uuid: string): SmbiosPlan {
  const isEc2Serial = (value: string) => isEc2Uuid(value) && value.toLowerCase() === uuid;
  switch (mode) {
    case "openstack":
      return {
        set: [["product", OPENSTACK_PRODUCT]],
        remove: [["serial", (v) => isNoCloudSerial(v) || isEc2Serial(v)]],
      };
    case "nocloud":
      return { set: [["serial", NOCLOUD_SERIAL]], remove: [["product", isOpenStackProduct]] };
    case "ec2":
      // ds-identify and cloud-init's own check: DMI UUID and serial both "ec2…" and equal.
      return { set: [["serial", uuid]], remove: [["product", isOpenStackProduct]] };
  }
}
