/**
 * IMDSv2 over HTTP: PUT /latest/api/token hands out session tokens, and every other EC2 request
 * is checked for one. Status codes are EC2's, because clients act on them: botocore and the
 * AWS SDKs fall back to IMDSv1 on 403/404/405 from the PUT but give up on 400, and cloud-init
 * on AWS fetches a new token after a 401.
 */
import { HttpError, type Reply } from "../../http/reply.js";
import type { MetadataRequest } from "../frontend.js";
import { MAX_TTL, MIN_TTL, type SessionTokens } from "./session-tokens.js";

/** The header a GET carries its token in. */
export const TOKEN_HEADER = "x-aws-ec2-metadata-token";
/** The header of a token PUT that asks for a lifetime; the reply repeats it. */
export const TTL_HEADER = "x-aws-ec2-metadata-token-ttl-seconds";

/** True for the path tokens are issued at (under any version; only "latest" issues them). */
export function isTokenPath(segments: readonly string[]): boolean {
  return segments.length === 3 && segments[1] === "api" && segments[2] === "token";
}

/** Answers a token PUT: a token for the asking guest, or the error EC2 gives. */
export function issueToken(request: MetadataRequest, tokens: SessionTokens): Reply {
  // EC2 refuses forwarded token requests, so a proxy on the guest cannot fetch tokens for others.
  if (request.headers["x-forwarded-for"] !== undefined) {
    throw new HttpError(403, "forbidden: token requests may not be forwarded");
  }
  if (request.segments[0] !== "latest") {
    throw new HttpError(403, "forbidden: tokens are only issued at /latest/api/token");
  }
  const ttl = parseTtl(request.headers[TTL_HEADER]);
  if (ttl === undefined) {
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
}

/**
 * Throws 401 when the request carries a token that is not good for this guest now, or carries
 * none while tokens are required; a request without one is IMDSv1 and passes otherwise.
 */
export function checkToken(
  request: MetadataRequest,
  tokens: SessionTokens,
  required: boolean,
): void {
  const token = request.headers[TOKEN_HEADER];
  if (token === undefined) {
    if (required) throw new HttpError(401, "unauthorized: a session token is required");
    return;
  }
  if (typeof token !== "string" || !tokens.verify(request.identity, token)) {
    throw new HttpError(401, "unauthorized: invalid or expired session token");
  }
}

function parseTtl(raw: string | string[] | undefined): number | undefined {
  if (typeof raw !== "string" || !/^\d{1,6}$/.test(raw.trim())) return undefined;
  const ttl = Number(raw.trim());
  return ttl >= MIN_TTL && ttl <= MAX_TTL ? ttl : undefined;
}
