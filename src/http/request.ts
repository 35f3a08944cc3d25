import type { IncomingHttpHeaders } from "node:http";
import type { Reply } from "./reply.js";

/** A request as handlers see it: normalised path, canonical client address. */
export interface Request {
  readonly method: string;
  /** The path with repeated slashes collapsed and the query string removed. */
  readonly path: string;
  /**
   * Path segments without empty ones; "/a/b/" gives ["a", "b"]; undefined for a malformed
   * path (a bad escape), which the handler answers (a stranger must not learn even that).
   */
  readonly segments: readonly string[] | undefined;
  readonly headers: IncomingHttpHeaders;
  /** The TCP peer address, canonical form: the only thing that identifies a guest. */
  readonly client: string;
  /** The body, up to `limit` bytes (a 413 HttpError past it); only handlers that take one call it. */
  readonly readBody?: ((limit: number) => Promise<Buffer>) | undefined;
}

/** A value that may or may not need waiting for. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Answers one request, synchronously when it can: a reply in the same tick as the request is
 * measurably faster under load than one a promise later, and most answers need no I/O.
 */
export type Handler = (request: Request) => MaybePromise<Reply>;

/** What normalisePath and pathSegments would change or reject: escapes, queries, "//". */
const UNUSUAL = /[%?#]|\/\//;

/** Collapses repeated slashes and drops the query string. */
export function normalisePath(url: string): string {
  if (url.startsWith("/") && !UNUSUAL.test(url)) return url;
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  const collapsed = path.replace(/\/{2,}/g, "/");
  return collapsed.startsWith("/") ? collapsed : `/${collapsed}`;
}

/** Splits a normalised path into decoded segments; undefined for a malformed escape. */
export function pathSegments(path: string): string[] | undefined {
  // The usual path has nothing to decode: skip decodeURIComponent and its try.
  if (!path.includes("%")) return path.split("/").filter((s) => s !== "");
  try {
    return path
      .split("/")
      .filter((s) => s !== "")
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
