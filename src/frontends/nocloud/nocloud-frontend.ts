/**
 * NoCloud over HTTP: a seed at /nocloud/ for cloud-init's NoCloud datasource, pointed there by
 * the DMI serial "ds=nocloud-net;s=http://169.254.169.254/nocloud/" (mdserver guest-setup
 * --mode nocloud). Each guest sees its own seed at the same URL, told apart by its address.
 */
import type { Config } from "../../config/config.js";
import { text, type Reply } from "../../http/reply.js";
import type { MaybePromise } from "../../http/request.js";
import type { Identity } from "../../inventory/instance.js";
import { instanceId } from "../ec2/instance-id.js";
import type { Frontend, MetadataRequest } from "../frontend.js";
import type { GuestDocuments } from "../guest-documents.js";
import { methodNotAllowed, serveNode } from "../serve-node.js";
import { computed, dir, resolveNode, type Directory } from "../tree.js";
import { guestPart, USERDATA_TYPE, userdataReply } from "../userdata-reply.js";
import { recentlyBuilt } from "../../util/recent-cache.js";
import { extraMetaDataYaml, metaDataYaml } from "./nocloud-documents.js";

/** The path prefix of the seed. */
export const NOCLOUD_PREFIX = "nocloud";

/** The NoCloud frontend: paths starting with /nocloud. */
export function createNoCloudFrontend(config: Config, documents: GuestDocuments): Frontend {
  // Built on first use and kept for the guests that asked last (a changed guest is a new
  // Identity object, so a kept tree is never stale), as the EC2 trees are.
  const treeFor = recentlyBuilt((identity: Identity) => buildTree(config, documents, identity));
  return {
    matches: (segments) => segments[0] === NOCLOUD_PREFIX,
    handle: (request: MetadataRequest): MaybePromise<Reply> => {
      if (request.method === "PUT") throw methodNotAllowed("GET, HEAD");
      return serveNode(resolveNode(treeFor(request.identity), request.segments));
    },
  };
}

/** An empty document: cloud-init treats a missing user-data or meta-data as fatal, and retries a missing vendor-data eleven times a second apart. */
const EMPTY: Reply = Object.freeze({ status: 200, body: "", contentType: USERDATA_TYPE });

function buildTree(config: Config, documents: GuestDocuments, identity: Identity): Directory {
  const metaData = async (): Promise<Reply> => {
    const meta = await guestPart(() => documents.meta(identity), "meta-data");
    const own = metaDataYaml({
      instanceId: instanceId(config, identity),
      hostname: identity.instance.name,
      keys: config.publicKeys,
    });
    return text(own + extraMetaDataYaml(meta.fields));
  };
  const network = async () => {
    const part = await guestPart(() => documents.networkConfig(identity), "network-config");
    return part && text(part.body);
  };
  return dir([
    [
      NOCLOUD_PREFIX,
      dir([
        ["meta-data", computed(metaData)],
        // Listed only when the guest has one (the built-in needs an interface with a MAC).
        [
          "network-config",
          computed(network),
          {
            listedWhen: () =>
              network().then(
                (r) => r !== undefined,
                () => false,
              ),
          },
        ],
        [
          "user-data",
          computed(async () => (await userdataReply(() => documents.userData(identity))) ?? EMPTY),
        ],
        [
          "vendor-data",
          computed(
            async () =>
              (await userdataReply(() => documents.vendorData(identity), "vendor-data")) ?? EMPTY,
          ),
        ],
      ]),
    ],
  ]);
}
