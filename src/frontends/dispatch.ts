/**
 * From an HTTP request to a frontend's answer: identify the client by its address, refuse
 * strangers, pick the frontend for the path.
 */
import type { Reply } from "../http/reply.js";
import type { Handler, Request } from "../http/request.js";
import type { Identity } from "../inventory/instance.js";
import type { Frontend } from "./frontend.js";
import { methodNotAllowed, notFound } from "./serve-node.js";

/** Finds who is asking from an address (the inventory, possibly with a fallback). */
export type Identify = (client: string) => Promise<Identity | undefined>;

const METHODS = new Set(["GET", "HEAD", "PUT"]);

export function createDispatcher(identify: Identify, frontends: readonly Frontend[]): Handler {
  return async (request: Request): Promise<Reply> => {
    if (!METHODS.has(request.method)) throw methodNotAllowed("GET, HEAD");
    const identity = await identify(request.client);
    // A stranger learns nothing, not even which paths exist.
    if (identity === undefined) throw notFound();
    const frontend = frontends.find((f) => f.matches(request.segments));
    if (frontend === undefined) throw notFound();
    const reply = await frontend.handle({ ...request, identity });
    return { ...reply, instance: identity.instance.name };
  };
}
