/**
 * The EC2-style metadata service: / (versions), /<v>/meta-data/…, /<v>/user-data,
 * /<v>/dynamic/instance-identity/…, and IMDSv2 session tokens at PUT /latest/api/token.
 */
import type { Config } from "../../config/config.js";
import { HttpError, type Reply } from "../../http/reply.js";
import type { Identity } from "../../inventory/instance.js";
import { TemplateError } from "../../userdata/template-error.js";
import type { UserdataService } from "../../userdata/userdata-service.js";
import type { Frontend, MetadataRequest } from "../frontend.js";
import { methodNotAllowed, serveNode } from "../serve-node.js";
import { computed, dir, leaf, resolveNode, type Directory } from "../tree.js";
import { identityDocument } from "./identity-document.js";
import { metaDataTree } from "./meta-data.js";
import { MAX_TTL, MIN_TTL, SessionTokens } from "./session-tokens.js";
import { servedEc2Versions } from "./versions.js";

const TOKEN_HEADER = "x-aws-ec2-metadata-token";
const TTL_HEADER = "x-aws-ec2-metadata-token-ttl-seconds";
const USERDATA_TYPE = "application/octet-stream";
const FIRST_SEEN_LIMIT = 100_000;

export function createEc2Frontend(config: Config, userdata: UserdataService): Frontend {
  const versions = servedEc2Versions(config);
  const tokens = new SessionTokens();
  const trees = new WeakMap<Identity, Directory>();
  const firstSeen = new Map<string, Date>();

  const userdataLeaf = (identity: Identity) =>
    computed(async () => {
      try {
        const rendered = await userdata.render(identity);
        return rendered && { status: 200, body: rendered.body, contentType: USERDATA_TYPE };
      } catch (error) {
        if (error instanceof TemplateError) {
          throw new HttpError(500, `user-data template error: ${error.message}`, undefined, {
            cause: error,
          });
        }
        throw error;
      }
    });

  const pendingTime = (uuid: string): Date => {
    let seen = firstSeen.get(uuid);
    if (seen === undefined) {
      if (firstSeen.size >= FIRST_SEEN_LIMIT) firstSeen.clear();
      seen = new Date();
      firstSeen.set(uuid, seen);
    }
    return seen;
  };

  const treeFor = (identity: Identity): Directory => {
    let tree = trees.get(identity);
    if (tree) return tree;
    const document = identityDocument(config, identity, pendingTime(identity.instance.uuid));
    const version = dir([
      ["dynamic", dir([["instance-identity", dir([["document", leaf(document)]])]])],
      ["meta-data", metaDataTree(config, identity)],
      [
        "user-data",
        userdataLeaf(identity),
        // Listed only when there is user-data to fetch (a 404 there means "none").
        { listedWhen: async () => (await userdata.origin(identity)).kind !== "none" },
      ],
    ]);
    tree = dir(versions.map((v) => [v, version] as const));
    trees.set(identity, tree);
    return tree;
  };

  const issueToken = (request: MetadataRequest): Reply => {
    if (request.headers["x-forwarded-for"] !== undefined) {
      throw new HttpError(403, "forbidden: token requests may not be forwarded");
    }
    if (request.segments[0] !== "latest") {
      throw new HttpError(403, "forbidden: tokens are only issued at /latest/api/token");
    }
    const raw = request.headers[TTL_HEADER];
    const ttl = typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!(ttl >= MIN_TTL && ttl <= MAX_TTL)) {
      throw new HttpError(
        400,
        `bad request: ${TTL_HEADER} must be a whole number from ${MIN_TTL} to ${MAX_TTL}`,
      );
    }
    return {
      status: 200,
      body: tokens.issue(request.identity, ttl),
      contentType: "text/plain",
      headers: { [TTL_HEADER]: String(ttl) },
    };
  };

  const checkToken = (request: MetadataRequest): void => {
    const token = request.headers[TOKEN_HEADER];
    if (token === undefined) {
      if (config.ec2.require_token)
        throw new HttpError(401, "unauthorized: a session token is required");
      return;
    }
    if (typeof token !== "string" || !tokens.verify(request.identity, token)) {
      throw new HttpError(401, "unauthorized: invalid or expired session token");
    }
  };

  return {
    matches: () => true,
    handle: async (request: MetadataRequest): Promise<Reply> => {
      const { segments } = request;
      const isTokenPath = segments.length === 3 && segments[1] === "api" && segments[2] === "token";
      if (request.method === "PUT") {
        if (isTokenPath) return issueToken(request);
        throw methodNotAllowed("GET, HEAD");
      }
      if (isTokenPath) throw methodNotAllowed("PUT");
      checkToken(request);
      return serveNode(resolveNode(treeFor(request.identity), segments));
    },
  };
}
