/** openstack/<v>/meta_data.json: who the guest is, as Nova describes an instance. */
import type { Config } from "../../config/config.js";
import type { Identity } from "../../inventory/instance.js";
import type { GuestDocuments } from "../guest-documents.js";

/**
 * The document. `uuid` is the libvirt domain UUID: cloud-init takes it as the instance-id and
 * compares it with the DMI system UUID (which libvirt sets to the same) to know the instance
 * on later boots without asking.
 */
export async function metaDataJson(
  config: Config,
  documents: GuestDocuments,
  identity: Identity,
): Promise<Record<string, unknown>> {
  const { instance } = identity;
  const meta = await documents.meta(identity);
  return {
    uuid: instance.uuid,
    name: instance.name,
    hostname: instance.name,
    launch_index: 0,
    availability_zone: meta.zone,
    public_keys: Object.fromEntries(config.publicKeys.map(({ name, key }) => [name, key])),
    keys: config.publicKeys.map(({ name, key }) => ({ name, type: "ssh", data: key })),
    // Nova's "meta" holds the instance's metadata items, which is what tags are here.
    meta: meta.tags,
    devices: [],
  };
}
