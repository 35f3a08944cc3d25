/**
 * At most one request in flight per connection. node:http parses every request a client
 * pipelines in one read and emits them all at once, and keeps reading while their answers are
 * pending, so a client sending thousands of requests per write (and perhaps never reading the
 * answers) made the server hold millions of requests. Here, a connection with a request in
 * progress stops being read; its next request starts once the answer is written and the client
 * has taken it (the socket's buffer has drained), and reading resumes once nothing is waiting.
 * The requests of one read still wait, though (a 64 KB read holds ~1,300 tiny requests), so a
 * connection with more than MAX_WAITING of them is closed: HTTP lets a server close a pipelining
 * connection, and a client retries what was not answered. What a connection can hold is then
 * MAX_WAITING parsed requests and one answer, and the connections of a busy server take turns.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * node:http's own state of a connection: `_paused` is its mark of a socket it stopped reading
 * (its code then resumes neither the socket nor the parser, which a waiting request's body
 * stream would otherwise do), `parser` the HTTP parser it pauses with it.
 */
interface HttpSocket extends Socket {
  _paused?: boolean;
  parser?: { pause(): void; resume(): void } | null;
}

function stopReading(socket: HttpSocket): void {
  socket._paused = true;
  socket.pause();
}

/** As node:http resumes a socket it paused (socketOnDrain). */
function resumeReading(socket: HttpSocket): void {
  socket._paused = false;
  socket.parser?.resume();
  socket.resume();
}

/** Requests one connection may have parsed and waiting; a real client pipelines a few at most. */
export const MAX_WAITING = 32;

/** What a caller learns of a connection: when it starts a request, and when it has none left. */
export interface ConnectionWatch {
  /** A request starts on a connection that had none in progress. */
  busy(socket: Socket): void;
  /** Its last request is answered and taken, and nothing waits: reading resumes. */
  idle(socket: Socket): void;
  /** It is being closed for pipelining more than MAX_WAITING requests. */
  overrun(socket: Socket): void;
}

/** One connection's state, made at its first request. */
interface Connection {
  /** A request is in progress (its answer not yet taken by the client). */
  busy: boolean;
  /** Reading was stopped here (so it is resumed here, and only then). */
  stopped: boolean;
  /** Requests parsed but not yet started, in order. */
  readonly waiting: Array<() => void>;
}

const connections = new WeakMap<Socket, Connection>();

const NO_WATCH: ConnectionWatch = { busy() {}, idle() {}, overrun() {} };

/** `listener`, called for one request of a connection at a time, in order. */
export function oneAtATime(listener: Listener, watch: ConnectionWatch = NO_WATCH): Listener {
  const next = (socket: HttpSocket, connection: Connection): void => {
    if (socket.destroyed) return;
    // The client has not taken the last answer yet: neither answer nor read more until it does.
    if (socket.writableNeedDrain) return void socket.once("drain", () => next(socket, connection));
    const run = connection.waiting.shift();
    // Not at once: a whole pipeline answered in one go would keep every other connection
    // waiting. One request per connection per turn of the event loop shares the server fairly.
    if (run !== undefined) return void setImmediate(run);
    connection.busy = false;
    watch.idle(socket);
    if (connection.stopped) {
      connection.stopped = false;
      resumeReading(socket);
    }
  };
  return (req, res) => {
    const socket = req.socket;
    // node:http goes on emitting the rest of a read's requests after the connection is closed.
    if (socket.destroyed) return;
    let connection = connections.get(socket);
    if (connection === undefined) {
      connection = { busy: false, stopped: false, waiting: [] };
      connections.set(socket, connection);
      installListeners(socket, connection);
    }
    const current = connection;
    const run = (): void => {
      res.once("close", () => next(socket, current));
      listener(req, res);
    };
    if (!connection.busy) {
      connection.busy = true;
      watch.busy(socket);
      return run();
    }
    if (connection.waiting.length >= MAX_WAITING) {
      watch.overrun(socket);
      return void socket.destroy();
    }
    connection.waiting.push(run);
    connection.stopped = true;
    stopReading(socket);
  };
}

/** Once per connection (a keep-alive connection has many requests). */
function installListeners(socket: HttpSocket, connection: Connection): void {
  socket.prependListener("close", () => cheapAborts(connection));
  socket.on("drain", () => {
    // node:http resumes reading on drain; not while requests of ours still wait.
    if (connection.waiting.length > 0) stopReading(socket);
  });
}

/**
 * When a connection closes, node:http destroys each request still waiting with an Error of its
 * own, and capturing their stacks (up to one read's worth, ~1,500 tiny pipelined requests) held
 * the event loop for many milliseconds per connection. Those stacks say nothing (the client
 * went away), so they are not captured during that close.
 */
function cheapAborts(connection: Connection): void {
  if (connection.waiting.length < 16) return;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  process.nextTick(() => (Error.stackTraceLimit = limit));
}
