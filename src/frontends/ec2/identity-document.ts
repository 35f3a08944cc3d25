/** dynamic/instance-identity/document: the JSON the AWS SDKs and cloud-init (on AWS) read. */
import type { Config } from "../../config/config.js";
import type { Identity } from "../../inventory/instance.js";
import type { GuestMeta } from "../guest-documents.js";
import { architecture, primaryIPv4 } from "./ec2-values.js";
import { instanceId } from "./instance-id.js";

/**
 * The document. Its instanceId must equal meta-data/instance-id: cloud-init on AWS takes this
 * one over the meta-data leaf. Fields EC2 sends that have no meaning here are null, as EC2
 * sends them for instances without such products.
 */
export function identityDocument(
  config: Config,
  identity: Identity,
  meta: GuestMeta,
  pendingTime: Date,
): string {
  const document = {
    accountId: "000000000000",
    architecture: architecture(identity),
    availabilityZone: meta.zone,
    billingProducts: null,
    devpayProductCodes: null,
    marketplaceProductCodes: null,
    imageId: config.ec2.ami_id,
    instanceId: instanceId(config, identity),
    instanceType: meta.type,
    kernelId: null,
    pendingTime: pendingTime.toISOString().replace(/\.\d{3}Z$/, "Z"),
    privateIp: primaryIPv4(identity) ?? null,
    ramdiskId: null,
    region: config.ec2.region,
    version: "2017-09-30",
  };
  return JSON.stringify(document, null, 2);
}
