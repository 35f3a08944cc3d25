/**
 * node:http serving one Handler on several addresses, with time-outs that stop a slow client
 * from holding the server, and one access-log line per request. Knows nothing of metadata.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Logger } from "../log/logger.js";
import { canonicalAddress } from "../util/address.js";
import { createAccessLog } from "./access-log.js";
import { readBody as readRequestBody } from "./read-body.js";
import { RepeatFilter } from "./repeat-filter.js";
import { errorReply, HttpError, type Reply } from "./reply.js";
import { normalisePath, pathSegments, type Handler } from "./request.js";

/** Time limits, in milliseconds. */
export interface Timeouts {
  readonly headers: number;
  readonly request: number;
  readonly keepAlive: number;
  readonly idleSocket: number;
}

/** The limits a real server uses. */
export const TIMEOUTS: Timeouts = {
  /** To receive the request headers. */
  headers: 10_000,
  /** To receive the whole request. */
  request: 15_000,
  /** An idle keep-alive connection is closed after this. */
  keepAlive: 5_000,
  /** Any socket with no traffic at all for this long is closed. */
  idleSocket: 30_000,
};

/** A request listener for node:http that answers with `handler`. */
export function requestListener(handler: Handler, log: Logger) {
  const access = createAccessLog(log);
  const failures = new RepeatFilter();
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const client = clientOf(req.socket);
    const method = req.method ?? "GET";
    const path = normalisePath(req.url ?? "/");
    const finish = (reply: Reply): void => {
      write(res, method, reply);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      access({
        client,
        instance: reply.instance,
        method,
        path,
        status: reply.status,
        ms: Math.round(ms * 100) / 100,
      });
    };
    const fail = (error: unknown): void => {
      const reply = errorReply(error);
      if (reply.status >= 500) {
        const cause = error instanceof HttpError && error.cause ? error.cause : error;
        if (failures.first(cause)) {
          log.error(
            { client, instance: reply.instance, method, path, err: cause },
            "request failed",
          );
        }
      }
      finish(reply);
    };
    const segments = pathSegments(path);
    if (segments === undefined) return fail(new HttpError(400, "bad request: malformed path"));
    let reply;
    try {
      const readBody = (limit: number) => readRequestBody(req, limit);
      reply = handler({ method, path, segments, headers: req.headers, client, readBody });
    } catch (error) {
      return fail(error);
    }
    if (reply instanceof Promise) {
      reply.then(finish, fail).catch((error: unknown) => log.error({ err: error }, "reply failed"));
    } else {
      finish(reply);
    }
  };
}

/** Canonical peer addresses of open connections: worked out once per connection, not per request. */
const clients = new WeakMap<Socket, string>();

function clientOf(socket: Socket): string {
  let client = clients.get(socket);
  if (client === undefined) {
    client = canonicalAddress(socket.remoteAddress ?? "") ?? "";
    clients.set(socket, client);
  }
  return client;
}

function write(res: ServerResponse, method: string, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = reply.status;
  if (reply.contentType) res.setHeader("Content-Type", reply.contentType);
  const { body } = reply;
  res.setHeader("Content-Length", typeof body === "string" ? Buffer.byteLength(body) : body.length);
  if (reply.headers)
    for (const name in reply.headers) res.setHeader(name, reply.headers[name] ?? "");
  // A string body is joined to the headers in one chunk; a Buffer would go as a chunk of its own.
  if (method === "HEAD") res.end();
  else if (typeof body === "string") res.end(body, "utf8");
  else res.end(body);
}

/** A node:http server for `handler` with the given time-outs (not yet listening). */
export function createHttpServer(
  handler: Handler,
  log: Logger,
  timeouts: Timeouts = TIMEOUTS,
): Server {
  const server = createServer(
    {
      requestTimeout: timeouts.request,
      headersTimeout: timeouts.headers,
      keepAliveTimeout: timeouts.keepAlive,
      // How often node looks for connections past headersTimeout/requestTimeout (default 30 s,
      // which would let a slow client stay three times longer than the limit).
      connectionsCheckingInterval: Math.max(250, Math.min(timeouts.headers, timeouts.request) / 4),
    },
    requestListener(handler, log),
  );
  server.setTimeout(timeouts.idleSocket, (socket) => socket.destroy());
  return server;
}

/** Starts listening; resolves with the bound address or rejects with the listen error. */
export function listen(server: Server, address: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen({ host: address, port, ipv6Only: address.includes(":") }, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}
