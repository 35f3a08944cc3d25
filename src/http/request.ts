import type { IncomingHttpHeaders } from "node:http";
import type { Reply } from "./reply.js";

/** A request as handlers see it: normalised path, canonical client address. */
export interface Request {
  readonly method: string;
  /** The path with repeated slashes collapsed and the query string removed. */
  readonly path: string;
  /** Path segments without empty ones; "/a/b/" gives ["a", "b"]. */
  readonly segments: readonly string[];
  /** Whether the path ended with "/" (a listing was asked for). */
  readonly trailingSlash: boolean;
  readonly headers: IncomingHttpHeaders;
  /** The TCP peer address, canonical form: the only thing that identifies a guest. */
  readonly client: string;
}

/** Answers one request. */
export type Handler = (request: Request) => Promise<Reply>;

/** Collapses repeated slashes and drops the query string. */
export function normalisePath(url: string): string {
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  const collapsed = path.replace(/\/{2,}/g, "/");
  return collapsed.startsWith("/") ? collapsed : `/${collapsed}`;
}

/** Splits a normalised path into decoded segments; undefined for a malformed escape. */
export function pathSegments(path: string): string[] | undefined {
  try {
    return path
      .split("/")
      .filter((s) => s !== "")
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
