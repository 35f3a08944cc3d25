/** Answers a GET for a node of a metadata tree. */
import { HttpError, text, type Reply } from "../http/reply.js";
import { listing, type MetadataNode } from "./tree.js";

/** 404 for a path that names nothing (the message tells nothing about other guests). */
export function notFound(): HttpError {
  return new HttpError(404, "not found");
}

/** Replies with a directory's listing or a leaf's value; 404 when absent. */
export async function serveNode(node: MetadataNode | undefined): Promise<Reply> {
  if (node === undefined) throw notFound();
  switch (node.kind) {
    case "dir":
      return text(await listing(node));
    case "leaf":
      return node.contentType === undefined
        ? text(node.body)
        : { status: 200, body: node.body, contentType: node.contentType };
    case "computed": {
      const reply = await node.answer();
      if (reply === undefined) throw notFound();
      return reply;
    }
  }
}

/** 405 for methods a path does not take. */
export function methodNotAllowed(allow: string): HttpError {
  return new HttpError(405, "method not allowed", { Allow: allow });
}
