/**
 * The OpenStack metadata service under /openstack: the version listing and, per version,
 * meta_data.json, user_data, vendor_data.json, vendor_data2.json and network_data.json. The
 * EC2 tree stays at / beside it, as on OpenStack (cloud-init's OpenStack datasource reads both).
 */
import type { Config } from "../../config/config.js";
import type { Reply } from "../../http/reply.js";
import type { MaybePromise } from "../../http/request.js";
import type { Identity } from "../../inventory/instance.js";
import type { Frontend, MetadataRequest } from "../frontend.js";
import type { GuestDocuments } from "../guest-documents.js";
import { methodNotAllowed, serveNode } from "../serve-node.js";
import { computed, dir, type Directory, resolveNode } from "../tree.js";
import { guestPart, userdataReply } from "../userdata-reply.js";
import { recentlyBuilt } from "../../util/recent-cache.js";
import { metaDataJson } from "./meta-data-json.js";
import { networkDataJson } from "./network-data.js";
import { hasDocument, OPENSTACK_VERSIONS } from "./openstack-versions.js";

const JSON_TYPE = "application/json";

/** The OpenStack frontend: paths starting with /openstack. */
export function createOpenStackFrontend(config: Config, documents: GuestDocuments): Frontend {
  // Built on first use and kept for the guests that asked last (a changed guest is a new
  // Identity object, so a kept tree is never stale), as the EC2 trees are.
  const treeFor = recentlyBuilt((identity: Identity) => buildTree(config, documents, identity));
  return {
    matches: (segments) => segments[0] === "openstack",
    handle: (request: MetadataRequest): MaybePromise<Reply> => {
      if (request.method === "PUT") throw methodNotAllowed("GET, HEAD");
      return serveNode(resolveNode(treeFor(request.identity), request.segments));
    },
  };
}

function json(value: unknown): Reply {
  return { status: 200, body: JSON.stringify(value), contentType: JSON_TYPE };
}

function buildTree(config: Config, documents: GuestDocuments, identity: Identity): Directory {
  const userdata = () => userdataReply(() => documents.userData(identity));
  const network = networkDataJson(documents.links(identity));
  // vendor-data text is handed to cloud-init as Nova does: {"cloud-init": text}; none is {}.
  const vendor = computed(async () => {
    const part = await guestPart(() => documents.vendorData(identity), "vendor-data");
    return json(part === undefined ? {} : { "cloud-init": part.body });
  });
  const files = (version: string) => {
    const has = (document: string) => hasDocument(version, document);
    return dir([
      [
        "meta_data.json",
        computed(async () =>
          json(await guestPart(() => metaDataJson(config, documents, identity), "meta-data")),
        ),
      ],
      [
        "network_data.json",
        has("network_data.json") && network ? computed(async () => json(network)) : undefined,
      ],
      // Listed only when there is user-data that renders (a listing names only what answers).
      [
        "user_data",
        computed(userdata),
        {
          listedWhen: () =>
            userdata().then(
              (r) => r !== undefined,
              () => false,
            ),
        },
      ],
      ["vendor_data.json", has("vendor_data.json") ? vendor : undefined],
      ["vendor_data2.json", has("vendor_data2.json") ? computed(async () => json({})) : undefined],
    ]);
  };
  const versions = [...OPENSTACK_VERSIONS, "latest"];
  // Nova lists versions without a trailing slash, and cloud-init compares the lines as they are.
  return dir([["openstack", dir(versions.map((v) => [v, files(v), { label: v }] as const))]]);
}
