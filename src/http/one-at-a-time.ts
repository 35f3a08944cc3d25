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

/** Requests parsed but not yet started, per connection; no entry: nothing in progress. */
const waiting = new WeakMap<Socket, Array<() => void>>();

/** `listener`, called for one request of a connection at a time, in order. */
export function oneAtATime(listener: Listener): Listener {
  return (req, res) => {
    const socket = req.socket;
    const run = (): void => {
      res.once("close", () => next(socket));
      listener(req, res);
    };
    // node:http goes on emitting the rest of a read's requests after the connection is closed.
    if (socket.destroyed) return;
    const queue = waiting.get(socket);
    if (queue !== undefined && queue.length >= MAX_WAITING) return void socket.destroy();
    if (queue === undefined) {
      waiting.set(socket, []);
      watch(socket);
      return run();
    }
    queue.push(run);
    stopReading(socket);
  };
}

/** Sockets whose listeners are installed (once: a keep-alive connection has many requests). */
const watched = new WeakSet<Socket>();

function watch(socket: HttpSocket): void {
  if (watched.has(socket)) return;
  watched.add(socket);
  socket.prependListener("close", cheapAborts);
  socket.on("drain", () => {
    // node:http resumes reading on drain; not while requests of ours still wait.
    if ((waiting.get(socket)?.length ?? 0) > 0) stopReading(socket);
  });
}

function next(socket: Socket): void {
  if (socket.destroyed) return void waiting.delete(socket);
  // The client has not taken the last answer yet: neither answer nor read more until it does.
  if (socket.writableNeedDrain) return void socket.once("drain", () => next(socket));
  const queue = waiting.get(socket);
  const run = queue?.shift();
  // Not at once: a whole pipeline answered in one go would keep every other connection waiting.
  // One request per connection per turn of the event loop shares the server fairly.
  if (run !== undefined) return void setImmediate(run);
  waiting.delete(socket);
  resumeReading(socket);
}

/**
 * When a connection closes, node:http destroys each request still waiting with an Error of its
 * own, and capturing their stacks (up to one read's worth, ~1,500 tiny pipelined requests) held
 * the event loop for many milliseconds per connection. Those stacks say nothing (the client
 * went away), so they are not captured during that close.
 */
function cheapAborts(this: Socket): void {
  if ((waiting.get(this)?.length ?? 0) < 16) return;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  process.nextTick(() => (Error.stackTraceLimit = limit));
}
