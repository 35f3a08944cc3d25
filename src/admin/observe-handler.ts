/**
 * Wraps the metadata request handler to feed the admin side: the metrics of every request,
 * what each known guest fetched, and the errors. The handler's answer and errors pass through
 * untouched; the HTTP layer still maps and logs them.
 */
import { isTokenPath } from "../frontends/ec2/token-endpoint.js";
import { errorReply, HttpError, type Reply } from "../http/reply.js";
import type { Handler, MaybePromise, Request } from "../http/request.js";
import type { Identity } from "../inventory/instance.js";
import { TemplateError } from "../userdata/template-error.js";
import type { AdminMetrics } from "./admin-metrics.js";
import type { GuestActivity } from "./guest-activity.js";
import { documentKind } from "./request-kind.js";

/** What the wrapper records into, and how it names a request's frontend and guest. */
export interface Observers {
  readonly metrics: AdminMetrics;
  readonly activity: GuestActivity;
  /** The name of the frontend that answers these path segments. */
  frontendOf(segments: readonly string[]): string;
  /** The known guest at this address, if any (a map read: no fallback identities). */
  lookup(client: string): Identity | undefined;
}

/** `handler`, observed (see the module comment). */
export function observeHandler(handler: Handler, observers: Observers): Handler {
  const { metrics, activity } = observers;
  const done = (request: Request, started: bigint, status: number, error?: unknown): void => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // A malformed path (no segments) was answered by no frontend.
    const segments = request.segments ?? [];
    const frontend = request.segments ? observers.frontendOf(segments) : "none";
    metrics.request(frontend, status, seconds);
    if (status === 200 && request.method === "PUT" && isTokenPath(segments)) {
      metrics.tokenIssued();
    }
    const identity = observers.lookup(request.client);
    const kind = documentKind(segments);
    const at = Date.now();
    if (identity !== undefined && kind !== undefined) {
      activity.fetched(identity.instance.uuid, kind, { at, path: request.path, status });
    }
    const cause = error instanceof HttpError && error.cause !== undefined ? error.cause : error;
    if (cause instanceof TemplateError) metrics.templateError();
    if (status >= 500) {
      activity.failed({
        at,
        instance: identity?.instance.name,
        client: request.client,
        path: request.path,
        status,
        message: cause instanceof Error ? cause.message : String(cause),
      });
    }
  };
  return (request: Request): MaybePromise<Reply> => {
    const started = process.hrtime.bigint();
    let reply: MaybePromise<Reply>;
    try {
      reply = handler(request);
    } catch (error) {
      done(request, started, errorReply(error).status, error);
      throw error;
    }
    if (!(reply instanceof Promise)) {
      done(request, started, reply.status);
      return reply;
    }
    return reply.then(
      (answer) => {
        done(request, started, answer.status);
        return answer;
      },
      (error: unknown) => {
        done(request, started, errorReply(error).status, error);
        throw error;
      },
    );
  };
}
