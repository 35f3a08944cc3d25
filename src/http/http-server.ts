/**
 * node:http serving one Handler on several addresses, with time-outs that stop a slow client
 * from holding the server, limits that stop a greedy one (connections per client and in total,
 * one request at a time per connection, a request rate per client, a while refused for one
 * that pipelines too much), and one access-log line
 * per request. Knows nothing of metadata.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Logger } from "../log/logger.js";
import { canonicalAddress } from "../util/address.js";
import { Sampler } from "../log/sampler.js";
import { createAccessLog } from "./access-log.js";
import { ConnectionLimit, type Refusal } from "./connection-limit.js";
import { IdleConnections } from "./idle-connections.js";
import { LIMITS, PIPELINING_PENALTY_MS, type Limits } from "./limits.js";
import { MAX_WAITING, oneAtATime } from "./one-at-a-time.js";
import { Penalties } from "./penalties.js";
import { RateLimit } from "./rate-limit.js";
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

/** The limits' state, shared by every listener of one server. */
export interface Guard {
  readonly connections: ConnectionLimit<Socket>;
  /** Keep-alive connections between requests: closed first when their client is at its limit. */
  readonly idle: IdleConnections;
  readonly rate: RateLimit;
  /** Clients refused for a while for pipelining too much. */
  readonly penalties: Penalties;
  /** Refused connections are logged once in a while per client, with a count. */
  readonly refusals: Sampler;
}

/** A fresh Guard for `limits`. */
export function createGuard(limits: Limits = LIMITS): Guard {
  return {
    connections: new ConnectionLimit(limits),
    idle: new IdleConnections(),
    rate: new RateLimit(limits.clientRate, limits.clientBurst),
    penalties: new Penalties(PIPELINING_PENALTY_MS),
    refusals: new Sampler(1 / 60, 1),
  };
}

/** A request listener for node:http that answers with `handler`. */
export function requestListener(handler: Handler, log: Logger, rate?: RateLimit) {
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
    const wait = rate?.take(client) ?? 0;
    if (wait > 0) return finish(tooMany(wait));
    const segments = pathSegments(path);
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

/** The answer over a client's rate, made without an Error: a flood of them must cost little. */
function tooMany(seconds: number): Reply {
  return {
    status: 429,
    body: "too many requests\n",
    contentType: "text/plain",
    headers: { "Retry-After": String(seconds) },
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
  const body = reply.body;
  const length = typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.byteLength;
  // All headers in one object to writeHead: node then validates and writes them in one pass,
  // without setHeader's own map (measurably cheaper on the hot path). No two names differ only
  // in case: a reply's own headers are never Content-Length or Content-Type.
  const headers: Record<string, string | number> = { "Content-Length": length };
  if (reply.contentType) headers["Content-Type"] = reply.contentType;
  if (reply.headers) for (const name in reply.headers) headers[name] = reply.headers[name] ?? "";
  res.writeHead(reply.status, headers);
  // A string body is joined to the headers in one chunk; a Buffer would go as a chunk of its own.
  if (method === "HEAD") res.end();
  else if (typeof body === "string") res.end(body, "utf8");
  else res.end(body);
}

/** A node:http server for `handler` with the given time-outs and limits (not yet listening). */
export function createHttpServer(
  handler: Handler,
  log: Logger,
  timeouts: Timeouts = TIMEOUTS,
  guard: Guard = createGuard(),
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
    oneAtATime(requestListener(handler, log, guard.rate), {
      busy: (socket) => guard.idle.forget(clientOf(socket), socket),
      idle: (socket) => guard.idle.add(clientOf(socket), socket),
      overrun: (socket) => penalise(guard, log, clientOf(socket)),
    }),
  );
  server.setTimeout(timeouts.idleSocket, (socket) => socket.destroy());
  server.on("connection", (socket: Socket) => {
    const client = clientOf(socket);
    const refused = guard.penalties.has(client) ? "penalty" : admit(guard, client, socket);
    if (refused === undefined) {
      return void socket.once("close", () => {
        guard.connections.release(socket);
        guard.idle.forget(client, socket);
      });
    }
    socket.destroy();
    const before = guard.refusals.admit(`${client} ${refused}`);
    if (before === undefined) return;
    if (refused === "penalty") {
      log.warn({ client, refusedBefore: before }, "connection refused: it pipelined too much");
    } else {
      const limit = refused === "client" ? "max_client_connections" : "max_connections";
      log.warn({ client, limit, refusedBefore: before }, "connection refused: limit reached");
    }
  });
  return server;
}

/** `client` pipelined too much: its connections are closed, and refused for a while. */
function penalise(guard: Guard, log: Logger, client: string): void {
  guard.penalties.impose(client);
  for (const socket of guard.connections.of(client)) socket.destroy();
  if (guard.refusals.admit(`${client} overrun`) !== undefined) {
    log.warn(
      { client, seconds: PIPELINING_PENALTY_MS / 1000 },
      `connections closed: more than ${MAX_WAITING} requests pipelined; refused for a while`,
    );
  }
}

/** Counts `socket`, closing its client's longest-idle connection if it is at its limit. */
function admit(guard: Guard, client: string, socket: Socket): Refusal | undefined {
  const refused = guard.connections.admit(client, socket);
  if (refused !== "client") return refused;
  const spare = guard.idle.takeOldest(client);
  if (spare === undefined) return refused;
  guard.connections.release(spare);
  spare.destroy();
  return guard.connections.admit(client, socket);
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
