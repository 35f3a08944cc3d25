/** Answers a GET for a node of a metadata tree. */
import { HttpError, text, type Reply } from "../http/reply.js";
import type { MaybePromise } from "../http/request.js";
import { listing, type MetadataNode } from "./tree.js";

/** 404 for a path that names nothing (the message tells nothing about other guests). */
export function notFound(): HttpError {
  return new HttpError(404, "not found");
}

/**
 * Replies with a directory's listing or a leaf's value; 404 when absent. Fixed leaves and
 * listings answer synchronously; computed ones (user-data, conditional listings) later.
 */
export function serveNode(node: MetadataNode | undefined): MaybePromise<Reply> {
  if (node === undefined) throw notFound();
  switch (node.kind) {
    case "dir":
      return node.fixedListing === undefined
        ? listing(node).then((body) => text(body))
        : text(node.fixedListing);
    case "leaf":
      return node.reply;
    case "computed":
      return node.answer().then((reply) => {
        if (reply === undefined) throw notFound();
        return reply;
      });
  }
}

/** 405 for methods a path does not take. */
export function methodNotAllowed(allow: string): HttpError {
  return new HttpError(405, "method not allowed", { Allow: allow });
}
