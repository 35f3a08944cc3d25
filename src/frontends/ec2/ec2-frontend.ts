/**
 * The EC2-style metadata service: / (versions), /<v>/meta-data/…, /<v>/user-data,
 * /<v>/dynamic/instance-identity/…, and IMDSv2 session tokens at PUT /latest/api/token.
 */
import type { Config } from "../../config/config.js";
import type { Reply } from "../../http/reply.js";
import type { MaybePromise } from "../../http/request.js";
import type { Frontend, MetadataRequest } from "../frontend.js";
import type { GuestDocuments } from "../guest-documents.js";
import { methodNotAllowed, serveNode } from "../serve-node.js";
import { resolveNode } from "../tree.js";
import { InstanceTrees } from "./instance-trees.js";
import { SessionTokens } from "./session-tokens.js";
import { checkToken, issueToken, isTokenPath } from "./token-endpoint.js";

/** The EC2 frontend, with the session-token check other frontends under its rules share. */
export interface Ec2Frontend extends Frontend {
  /** Throws 401 unless the request's token (or its lack, when tokens are optional) is good. */
  checkToken(request: MetadataRequest): void;
}

/**
 * The EC2 frontend; it answers every path the others do not take. A reload passes the running
 * server's `tokens`, so the session tokens guests hold stay good.
 */
export function createEc2Frontend(
  config: Config,
  documents: GuestDocuments,
  tokens = new SessionTokens(),
): Ec2Frontend {
  const trees = new InstanceTrees(config, documents);
  const required = config.ec2.require_token;

  return {
    checkToken: (request) => checkToken(request, tokens, required),
    matches: () => true,
    handle: (request: MetadataRequest): MaybePromise<Reply> => {
      const { segments } = request;
      const tokenPath = isTokenPath(segments);
      if (request.method === "PUT") {
        if (tokenPath) return issueToken(request, tokens);
        throw methodNotAllowed("GET, HEAD");
      }
      if (tokenPath) throw methodNotAllowed("PUT");
      checkToken(request, tokens, required);
      const tree = trees.treeFor(request.identity);
      if (tree instanceof Promise) return tree.then((t) => serveNode(resolveNode(t, segments)));
      return serveNode(resolveNode(tree, segments));
    },
  };
}
