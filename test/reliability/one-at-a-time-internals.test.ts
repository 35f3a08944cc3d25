/**
 * src/http/one-at-a-time.ts stops reading a pipelining connection through node:http's own
 * state (`socket._paused`, `socket.parser`), which is no public API. This test fails loudly if a
 * Node upgrade renames or changes them: while a request is in progress, nothing more the client
 * sends is parsed, even when the socket drains (node:http resumes reading on drain) or the
 * request's body is read (which resumes the socket unless node:http marked it paused).
 */
import assert from "node:assert/strict";
import { createServer, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { test } from "node:test";
import { oneAtATime } from "../../src/http/one-at-a-time.js";

const GET = "GET /x HTTP/1.1\r\nHost: x\r\n\r\n";
const POST = "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab";
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("node:http internals one-at-a-time.ts relies on still hold", async (t) => {
  let parsed = 0;
  let inProgress = 0;
  const held: ServerResponse[] = [];
  const server = createServer(
    oneAtATime((req, res) => {
      const socket = req.socket as Socket & { _paused?: unknown; parser?: { resume?: unknown } };
      assert.equal(typeof socket._paused, "boolean", "node:http no longer sets socket._paused");
      assert.equal(typeof socket.parser?.resume, "function", "socket.parser.resume is gone");
      assert.equal(++inProgress, 1, "two requests of one connection in progress at once");
      req.resume(); // reads the body: must not resume the paused socket
      res.once("close", () => inProgress--);
      held.push(res);
    }),
  );
  server.on("request", () => parsed++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
  t.after(() => client.destroy());
  let received = "";
  client.on("data", (d: Buffer) => (received += d.toString("latin1")));
  await new Promise((r) => client.once("connect", r));

  client.write(POST + GET + GET);
  await pause(300);
  assert.equal(parsed, 3, "the first read is parsed whole");
  assert.equal(held.length, 1);
  client.write(GET.repeat(5));
  await pause(300);
  assert.equal(parsed, 3, "a connection with a request in progress is not read");

  // A big answer the client takes later: the socket drains while two requests still wait.
  client.pause();
  held[0]?.end("y".repeat(16 << 20));
  await pause(300);
  client.resume();
  await pause(500);
  assert.equal(parsed, 3, "draining does not resume reading while requests wait");
  for (let i = 1; i < 8; i++) {
    await waitFor(() => held.length > i);
    if (i >= 3) assert.ok(parsed > 3, "reading resumes once nothing waits");
    held[i]?.end("z");
  }
  await waitFor(() => received.split("HTTP/1.1 200").length - 1 === 8);
  assert.equal(parsed, 8);
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await pause(20);
  assert.ok(ok(), "timed out");
}
