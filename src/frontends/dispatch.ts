/**
 * From an HTTP request to a frontend's answer: identify the client by its address, refuse
 * strangers, pick the frontend for the path.
 */
import { forInstance, HttpError, type Reply } from "../http/reply.js";
import type { Handler, MaybePromise, Request } from "../http/request.js";
import type { Identity } from "../inventory/instance.js";
import type { Frontend } from "./frontend.js";
import { methodNotAllowed, notFound } from "./serve-node.js";

/**
 * Finds who is asking from an address (the inventory, possibly with a fallback): at once for a
 * known address, after a refresh of the sources for an unknown one.
 */
export type Identify = (client: string) => MaybePromise<Identity | undefined>;

const METHODS = new Set(["GET", "HEAD", "PUT"]);

/** `reply` for the access log's benefit naming the instance served (a fixed shape, no spread). */
function named(reply: Reply, instance: string): Reply {
  return {
    status: reply.status,
    body: reply.body,
    contentType: reply.contentType,
    headers: reply.headers,
    instance,
  };
}

/** The server's request handler over `frontends`, the first whose path matches answering. */
export function createDispatcher(identify: Identify, frontends: readonly Frontend[]): Handler {
  const answer = (request: Request, identity: Identity | undefined): MaybePromise<Reply> => {
    // A stranger learns nothing, not even which paths or methods exist: identified first.
    if (identity === undefined) throw notFound();
    const name = identity.instance.name;
    const { method, path, segments, headers, client, readBody } = request;
    if (segments === undefined) {
      throw forInstance(new HttpError(400, "bad request: malformed path"), name);
    }
    const frontend = frontends.find((f) => f.matches(segments));
    // Other methods (a boot report's POST) only where a frontend takes them.
    if (!METHODS.has(method) && !frontend?.methods?.includes(method))
      throw forInstance(methodNotAllowed("GET, HEAD"), name);
    if (frontend === undefined) throw notFound();
    // Object literals of a fixed shape rather than spreads: this runs on every request.
    const asked = { method, path, segments, headers, client, readBody, identity };
    // Errors name the instance too, so the access log says who was refused.
    try {
      const reply = frontend.handle(asked);
      if (!(reply instanceof Promise)) return named(reply, name);
      return reply.then(
        (r) => named(r, name),
        (error: unknown) => {
          throw forInstance(error, name);
        },
      );
    } catch (error) {
      throw forInstance(error, name);
    }
  };
  return (request: Request): MaybePromise<Reply> => {
    const identity = identify(request.client);
    return identity instanceof Promise
      ? identity.then((found) => answer(request, found))
      : answer(request, identity);
  };
}
