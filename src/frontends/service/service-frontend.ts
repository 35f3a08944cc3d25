/** /service/: what this metadata server is (the original's surface, kept for its users). */
import type { Config } from "../../config/config.js";
import type { Reply } from "../../http/reply.js";
import type { MaybePromise } from "../../http/request.js";
import type { Frontend, MetadataRequest } from "../frontend.js";
import { methodNotAllowed, serveNode } from "../serve-node.js";
import { dir, leaf, resolveNode } from "../tree.js";
import { servedEc2Versions } from "../ec2-versions.js";

/**
 * The /service/ frontend. `checkToken` is the EC2 frontend's: /service/ shares the EC2 address
 * and port, so `[ec2] require_token = yes` covers it too.
 */
export function createServiceFrontend(
  config: Config,
  checkToken: (request: MetadataRequest) => void,
): Frontend {
  const { name, type, version } = config.service;
  const tree = dir([
    [
      "service",
      dir([
        ["name", leaf(name)],
        ["type", leaf(type)],
        ["version", leaf(version)],
        ["ec2_versions", leaf(servedEc2Versions(config).join("\n"))],
      ]),
    ],
  ]);
  return {
    matches: (segments) => segments[0] === "service",
    handle: (request: MetadataRequest): MaybePromise<Reply> => {
      if (request.method === "PUT") throw methodNotAllowed("GET, HEAD");
      checkToken(request);
      return serveNode(resolveNode(tree, request.segments));
    },
  };
}
