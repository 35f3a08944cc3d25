/**
 * The last step of the vendor-data search: what a guest gets when no file in userdata_dir
 * gives it vendor-data. None yet (undefined): the boot reports plug cloud-init's phone_home
 * towards mdserver in here, and every layout (NoCloud, OpenStack) then serves it. Pure.
 */
import type { Config } from "../config/config.js";
import type { Identity } from "../inventory/instance.js";

export function builtinVendorData(_config: Config, _identity: Identity): string | undefined {
  return undefined;
}
