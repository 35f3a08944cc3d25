/** The EC2 instance-id of an identity. */
import type { Config } from "../../config/config.js";
import type { Identity } from "../../inventory/instance.js";

/**
 * "uuid" mode: i- and the first 17 hex digits of the instance UUID, the shape of a real EC2 id,
 * and stable across address changes and reboots (cloud-init re-runs its per-instance set-up
 * whenever the id changes). "ip" mode: the original's i-<client address>.
 */
export function instanceId(config: Config, identity: Identity): string {
  if (config.ec2.instance_id === "ip") return `i-${identity.address}`;
  return `i-${identity.instance.uuid.replace(/-/g, "").slice(0, 17)}`;
}
