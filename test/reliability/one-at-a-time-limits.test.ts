/**
 * src/http/one-at-a-time.ts's bounds: a keep-alive connection's listeners do not grow with its
 * requests (they did by two per request: MaxListenersExceededWarning in the boot-storm bench),
 * and a connection pipelining more than MAX_WAITING requests is closed.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { test } from "node:test";
import { MAX_WAITING, oneAtATime } from "../../src/http/one-at-a-time.js";

const GET = "GET /x HTTP/1.1\r\nHost: x\r\n\r\n";

async function serve(t: { after(fn: () => void): void }, onSocket: (s: Socket) => void) {
  let handled = 0;
  const server: Server = createServer(
    oneAtATime((req, res) => {
      handled++;
      onSocket(req.socket);
      res.end("ok");
    }),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
  t.after(() => client.destroy());
  await new Promise((r) => client.once("connect", r));
  return { client, handled: () => handled };
}

test("a keep-alive connection's listeners do not grow with its requests", async (t) => {
  const counts: number[] = [];
  const { client } = await serve(t, (s) =>
    counts.push(s.listenerCount("close") + s.listenerCount("drain")),
  );
  for (let i = 0; i < 50; i++) {
    const answered = new Promise((r) => client.once("data", r));
    client.write(GET);
    await answered;
  }
  assert.equal(counts.length, 50);
  assert.ok(
    (counts.at(-1) ?? 0) <= (counts[1] ?? 0),
    `listeners ${counts[1]} after the second request, ${counts.at(-1)} after the 50th`,
  );
});

test(`a connection pipelining more than ${MAX_WAITING} requests is closed`, async (t) => {
  const { client, handled } = await serve(t, () => {});
  let received = "";
  client.on("data", (d: Buffer) => (received += d.toString("latin1")));
  const closed = new Promise((r) => client.once("close", r));
  client.write(GET.repeat(1000));
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error("not closed within 5 s")), 5000).unref(),
  );
  await Promise.race([closed, timeout]);
  const answers = received.split("HTTP/1.1 200").length - 1;
  assert.ok(handled() <= MAX_WAITING + 1, `${handled()} requests handled`);
  assert.ok(answers <= MAX_WAITING + 1, `${answers} answered`);
});
